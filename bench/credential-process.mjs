#!/usr/bin/env node
// Start-up cost of credential-process, the command the AWS CLI and SDKs run on every call.
//
// Median wall time of `credential-process` (EC P-256 file key, emulator on loopback) against `node -e 0`,
// run interleaved (baseline, command, baseline, ...) so both see the same machine load; on this machine's
// Node and on Node 24 (installed from the npm registry's `node` package into .cache/ on first use).
// Budget: the command's median at most 1.6 × the baseline's on the same Node.
//
//   node bench/credential-process.mjs [--runs 40] [--node-only-local]
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 40;
const warmup = 5;
const BUDGET = 1.6;

execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const { startEmulator, CertificateAuthority, pkcs8Pem } = await import(join(root, 'dist/emulator.js'));

const work = mkdtempSync(join(tmpdir(), 'rah-bench-'));
const arns = {
  trustAnchor: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/11111111-2222-3333-4444-555555555555',
  profile: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/66666666-7777-8888-9999-000000000000',
  role: 'arn:aws:iam::123456789012:role/bench',
};
const ca = await CertificateAuthority.create({ subject: 'CN=Bench Root' });
const leaf = await ca.issue({ subject: 'CN=bench', keyAlgorithm: 'ec-p256' });
writeFileSync(join(work, 'cert.pem'), leaf.pem);
writeFileSync(join(work, 'key.pem'), pkcs8Pem(leaf.key));
const emulator = await startEmulator({
  trustAnchors: [{ arn: arns.trustAnchor, certificates: ca.certificate.pem }],
  profiles: [{ arn: arns.profile, roleArns: [arns.role] }],
});
const command = [
  join(root, 'bin/aws_signing_helper.cjs'), 'credential-process',
  '--certificate', join(work, 'cert.pem'), '--private-key', join(work, 'key.pem'),
  '--trust-anchor-arn', arns.trustAnchor, '--profile-arn', arns.profile, '--role-arn', arns.role,
  '--endpoint', emulator.url,
];

function time(node, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${out}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function node24() {
  const dir = join(root, '.cache/node24');
  const binary = join(dir, 'node_modules/node/bin/node');
  if (!existsSync(binary)) {
    console.error('installing node@24 into .cache/node24 (once)...');
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', 'node@24'], { stdio: 'inherit' });
  }
  return binary;
}

const nodes = [['node ' + process.version, process.execPath]];
if (!argv.includes('--node-only-local')) {
  const binary = node24();
  nodes.push([`node ${execFileSync(binary, ['--version']).toString().trim()}`, binary]);
}

const results = [];
for (const [label, node] of nodes) {
  for (let i = 0; i < warmup; i++) {
    await time(node, ['-e', '0']);
    await time(node, command);
  }
  const baseline = [];
  const helper = [];
  for (let i = 0; i < runs; i++) {
    baseline.push(await time(node, ['-e', '0']));
    helper.push(await time(node, command));
  }
  const ratio = median(helper) / median(baseline);
  results.push({ label, baseline: median(baseline), helper: median(helper), ratio });
}
await emulator.close();
rmSync(work, { recursive: true, force: true });

console.log(`\ncredential-process start-up, ${runs} interleaved runs each (median wall time, ms)`);
console.log('| Node | node -e 0 | credential-process | ratio | budget 1.6× |');
console.log('|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.label} | ${r.baseline.toFixed(1)} | ${r.helper.toFixed(1)} | ${r.ratio.toFixed(2)}× | ${r.ratio <= BUDGET ? 'met' : 'MISSED'} |`);
}
