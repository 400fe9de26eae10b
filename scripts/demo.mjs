// The main job, end to end on this machine: a throw-away CA and workload certificate, a local IAM Roles
// Anywhere emulator that checks requests as the service does, and the helper's three ways of handing out
// credentials — credential-process, serve and update — running against it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin/aws_signing_helper.cjs');
const { startEmulator, CertificateAuthority, pkcs8Pem } = await import(join(root, 'dist/emulator.mjs'));
const work = mkdtempSync(join(tmpdir(), 'roles-anywhere-demo-'));
const step = (text) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);
const show = (args) => console.log(`$ aws_signing_helper ${args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`);

step('A throw-away PKI: root CA → issuing CA → workload certificate (EC P-256)');
const rootCa = await CertificateAuthority.create({ subject: 'CN=Demo Root CA,O=Demo' });
const issuing = await rootCa.issueIntermediate({ subject: 'CN=Demo Issuing CA,O=Demo' });
const leaf = await issuing.issue({ subject: 'CN=demo-workload,O=Demo', keyAlgorithm: 'ec-p256' });
const files = {
  certificate: join(work, 'workload-cert.pem'),
  key: join(work, 'workload-key.pem'),
  chain: join(work, 'chain.pem'),
  credentials: join(work, 'aws/credentials'),
};
writeFileSync(files.certificate, leaf.pem);
writeFileSync(files.key, pkcs8Pem(leaf.key), { mode: 0o600 });
writeFileSync(files.chain, issuing.certificate.pem);
console.log(`certificate, key and chain in ${work}`);

step('A local Roles Anywhere emulator trusting the root CA');
const arns = {
  trustAnchor: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/a1b2c3d4-0000-4000-8000-000000000001',
  profile: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/a1b2c3d4-0000-4000-8000-000000000002',
  role: 'arn:aws:iam::123456789012:role/demo-role',
};
const emulator = await startEmulator({
  trustAnchors: [{ arn: arns.trustAnchor, certificates: rootCa.certificate.pem }],
  profiles: [{ arn: arns.profile, roleArns: [arns.role], acceptRoleSessionName: true }],
});
console.log(`CreateSession at ${emulator.url}/sessions`);
const common = [
  '--certificate', files.certificate, '--private-key', files.key, '--intermediates', files.chain,
  '--trust-anchor-arn', arns.trustAnchor, '--profile-arn', arns.profile, '--role-arn', arns.role,
  '--endpoint', emulator.url,
];
const run = (args, env = {}) =>
  new Promise((resolve, reject) => {
    show(args);
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit code ${code}`))));
  });

try {
  step('credential-process: what the AWS CLI and SDKs run from ~/.aws/config');
  const output = await run(['credential-process', ...common, '--role-session-name', 'demo-session']);
  console.log(output);
  const issued = emulator.issued.at(-1);
  console.log(`→ the emulator verified the signature and the chain, and issued ${issued.accessKeyId} for role session "${issued.roleSessionName}"`);
  console.log('\nIn ~/.aws/config:');
  console.log(`[profile demo]\ncredential_process = aws_signing_helper credential-process --certificate ${files.certificate} --private-key ${files.key} ...`);

  step('serve: an IMDSv2 endpoint for SDKs that read instance metadata');
  show(['serve', ...common, '--port', '0']);
  const serve = spawn(process.execPath, [cli, 'serve', ...common, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise((resolve, reject) => {
    let log = '';
    serve.stderr.on('data', (chunk) => {
      log += chunk;
      process.stderr.write(chunk);
      const match = /AWS_EC2_METADATA_SERVICE_ENDPOINT=http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (match) resolve(Number(match[1]));
    });
    serve.on('close', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const http = (method, path, headers) =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
  const token = await http('PUT', '/latest/api/token', { 'X-aws-ec2-metadata-token-ttl-seconds': '60' });
  const role = await http('GET', '/latest/meta-data/iam/security-credentials/', { 'X-aws-ec2-metadata-token': token });
  console.log(`PUT /latest/api/token → a token; GET .../security-credentials/ → ${role}`);
  console.log(`GET .../security-credentials/${role} →`);
  console.log(await http('GET', `/latest/meta-data/iam/security-credentials/${role}`, { 'X-aws-ec2-metadata-token': token }));
  serve.kill('SIGTERM');

  step('update: keeps a profile of the shared credentials file fresh (here once)');
  await run(['update', ...common, '--profile', 'demo', '--once'], { AWS_SHARED_CREDENTIALS_FILE: files.credentials });
  console.log(readFileSync(files.credentials, 'utf8').replace(/(aws_secret_access_key = |aws_session_token = )(\S{8})\S+/g, '$1$2…'));
  console.log(`(${files.credentials}, mode 0600)`);

  step('Done. The same commands work against IAM Roles Anywhere itself: leave out --endpoint.');
} finally {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
