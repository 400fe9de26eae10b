#!/usr/bin/env node
// Load on serve's credentials path: wrk with 2 threads and 50 keep-alive connections, each request with a
// valid IMDSv2 token (with --ecs: the container endpoint's token), for the requests per second, the latency
// percentiles and errors; then the server's resident memory. The reference reaches about 78,000 requests/s
// this way on IMDS on a machine of this kind; the aim is at least half of that, with no errors.
//
//   node bench/serve.mjs [--duration 10] [--ecs]
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { benchFixture, cli } from './support/fixture.mjs';

const argv = process.argv.slice(2);
const duration = Number(argv[argv.indexOf('--duration') + 1]) || 10;
const ecs = argv.includes('--ecs');
const fixture = await benchFixture();

const serve = spawn(process.execPath, [cli, 'serve', ...fixture.flags, '--port', '0', ...(ecs ? ['--ecs'] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
const [port, tokenFile] = await new Promise((resolve, reject) => {
  let log = '';
  serve.stderr.on('data', (chunk) => {
    log += chunk;
    const match = /Local server started on port: (\d+)\n(?:[^]*AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=(\S+)\n)?/.exec(log);
    if (match && (!ecs || match[2])) resolve([Number(match[1]), match[2]]);
  });
  serve.on('close', (code) => reject(new Error(`serve exited with ${code}: ${log}`)));
});
const imdsToken = () => new Promise((resolve, reject) => {
  const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/latest/api/token', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' } }, (res) => {
    let body = '';
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => resolve(body));
  });
  req.on('error', reject);
  req.end();
});
const script = join(fixture.work, 'token.lua');
if (ecs) writeFileSync(script, `wrk.headers["Authorization"] = "${readFileSync(tokenFile, 'utf8')}"\n`);
else writeFileSync(script, `wrk.headers["X-aws-ec2-metadata-token"] = "${await imdsToken()}"\n`);
const url = `http://127.0.0.1:${port}${ecs ? '/role/bench' : '/latest/meta-data/iam/security-credentials/bench'}`;
const output = execFileSync('wrk', ['-t2', '-c50', `-d${duration}s`, '--latency', '-s', script, url]).toString();
const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${serve.pid}/status`, 'utf8'))[1];
serve.kill('SIGTERM');
await new Promise((resolve) => serve.on('close', resolve));
await fixture.close();

const find = (pattern) => pattern.exec(output)?.[1] ?? '-';
const errors = [/Non-2xx or 3xx responses: (\d+)/, /Socket errors: ([^\n]+)/].map((p) => p.exec(output)?.[1]).filter(Boolean);
console.log(output);
console.log(`serve${ecs ? ' --ecs' : ''} credentials path, wrk -t2 -c50 -d${duration}s, Node ${process.version}`);
console.log('| requests/s | p50 | p99 | errors | RSS after |');
console.log('|---|---|---|---|---|');
console.log(`| ${find(/Requests\/sec:\s+([\d.]+)/)} | ${find(/^\s+50%\s+(\S+)/m)} | ${find(/^\s+99%\s+(\S+)/m)} | ${errors.join('; ') || 'none'} | ${(Number(rss) / 1024).toFixed(1)} MiB |`);
