// The least any Node credential helper must do, for the start-up benchmark's reference row: load
// node:crypto and node:net, read a key, sign a string-to-sign-sized message with it, POST it to the
// endpoint over a plain socket, and leave once the answer's headers are in. (The emulator refuses the
// request; the round trip is what counts.)
const { readFileSync, writeSync } = require('node:fs');
const { createPrivateKey, sign } = require('node:crypto');
const { connect } = require('node:net');

const [keyPath, endpoint] = process.argv.slice(2);
const key = createPrivateKey(readFileSync(keyPath));
const signature = sign('sha256', Buffer.alloc(200, 'x'), { key, dsaEncoding: 'der' }).toString('hex');
const url = new URL(endpoint);
const body = `{"signature":"${signature}"}`;
const socket = connect({ host: url.hostname, port: Number(url.port) });
socket.write(
  `POST /sessions HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
);
let answer = '';
socket.on('data', (chunk) => {
  answer += chunk;
  if (answer.includes('\r\n\r\n')) {
    writeSync(1, answer.slice(0, 0));
    process.exit(0);
  }
});
