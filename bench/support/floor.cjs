// The least any Node credential helper must do, for the start-up benchmark's reference row: load
// node:crypto and node:http, read a key, sign a string-to-sign-sized message with it, POST it to the
// endpoint, print the answer. (The emulator refuses the request; the round trip is what counts.)
const { readFileSync } = require('node:fs');
const { createPrivateKey, sign } = require('node:crypto');
const { request } = require('node:http');

const [keyPath, endpoint] = process.argv.slice(2);
const key = createPrivateKey(readFileSync(keyPath));
const signature = sign('sha256', Buffer.alloc(200, 'x'), { key, dsaEncoding: 'der' }).toString('hex');
const req = request(`${endpoint}/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
  let body = '';
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => process.stdout.write(body.slice(0, 0) + signature.slice(0, 0)));
});
req.end(`{"signature":"${signature}"}`);
