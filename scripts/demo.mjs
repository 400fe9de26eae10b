// The main job, end to end on this machine: a throw-away CA and workload certificate, a local IAM Roles
// Anywhere emulator (with STS) that checks requests as the services do, and the helper against it: check,
// credential-process (with and without its cache), serve, update, and the library's fromRolesAnywhere()
// giving an AWS SDK client its credentials.
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
// A word of a shell command line, quoted where a shell would read it otherwise (src/shellWord.ts's rule), so
// that a printed command can be pasted whatever TMPDIR holds.
const word = (value) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);
const show = (args) => console.log(`$ aws_signing_helper ${args.map(word).join(' ')}`);

/** The helper's processes running, ended with the demo. */
const children = new Set();
/** What the demo leaves behind: nothing, its folder holding a private key and credentials. */
const leaveNothing = () => {
  for (const child of children) child.kill();
  rmSync(work, { recursive: true, force: true });
};
// Interrupted (Ctrl-C) or killed, too.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.once(signal, () => {
    leaveNothing();
    process.exit(code);
  });
}
let emulator;
try {
  step('A throw-away PKI: root CA → issuing CA → workload certificate (EC P-256)');
  const rootCa = await CertificateAuthority.create({ subject: 'CN=Demo Root CA,O=Demo' });
  const issuing = await rootCa.issueIntermediate({ subject: 'CN=Demo Issuing CA,O=Demo' });
  const leaf = await issuing.issue({ subject: 'CN=demo-workload,O=Demo', keyAlgorithm: 'ec-p256', notAfter: new Date(Date.now() + 365 * 86_400_000) });
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
  emulator = await startEmulator({
    trustAnchors: [{ arn: arns.trustAnchor, certificates: rootCa.certificate.pem }],
    profiles: [{ arn: arns.profile, roleArns: [arns.role], acceptRoleSessionName: true }],
  });
  console.log(`CreateSession at ${emulator.url}/sessions`);
  // check is given the same flags without --endpoint (with one, it would also send a CreateSession).
  const keyAndArns = [
    '--certificate', files.certificate, '--private-key', files.key, '--intermediates', files.chain,
    '--trust-anchor-arn', arns.trustAnchor, '--profile-arn', arns.profile, '--role-arn', arns.role,
  ];
  const common = [...keyAndArns, '--endpoint', emulator.url];
  const run = (args, env = {}) =>
    new Promise((resolve, reject) => {
      show(args);
      const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
      children.add(child);
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', (code) => {
        children.delete(child);
        if (code === 0) resolve(out);
        else reject(new Error(`aws_signing_helper ${args[0]} failed (exit code ${code})`));
      });
    });

  step('check: Roles Anywhere\'s rules applied to the certificate, key and chain, before calling AWS');
  writeFileSync(join(work, 'root.pem'), rootCa.certificate.pem);
  process.stdout.write(await run(['check', ...keyAndArns, '--trust-anchor-certificate', join(work, 'root.pem')]));

  step('credential-process: what the AWS CLI and SDKs run from ~/.aws/config');
  const output = await run(['credential-process', ...common, '--role-session-name', 'demo-session']);
  console.log(output);
  const issued = emulator.issued.at(-1);
  console.log(`→ the emulator verified the signature and the chain, and issued ${issued.accessKeyId} for role session "${issued.roleSessionName}"`);
  console.log('\nIn ~/.aws/config:');
  console.log(`[profile demo]\ncredential_process = aws_signing_helper credential-process --certificate ${word(files.certificate)} --private-key ${word(files.key)} ...`);

  step('credential-process --cache: runs share credentials (one CreateSession for three runs)');
  const cacheEnv = { ROLES_ANYWHERE_HELPER_CACHE_DIR: join(work, 'cache') };
  const before = emulator.issued.length;
  for (let i = 0; i < 3; i++) await run(['credential-process', '--cache', ...common], cacheEnv);
  console.log(`→ ${emulator.issued.length - before} CreateSession for 3 runs; the entry is in ${join(work, 'cache/credentials')} (0600)`);

  step('fromRolesAnywhere(): an AWS SDK for JavaScript v3 client with Roles Anywhere credentials, no program run');
  const { fromRolesAnywhere } = await import(join(root, 'dist/index.mjs'));
  if (Number(process.versions.node.split('.')[0]) < 22) {
    // The SDK's own notice, not the helper's (which runs on 20.19+): said once here, in a line, rather than its seven.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    console.log(`(The AWS SDK for JavaScript v3 says its releases after the first week of January 2027 need Node 22; this is ${process.version}.)`);
  }
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint: emulator.url,
    credentials: fromRolesAnywhere({
      certificate: readFileSync(files.certificate, 'utf8'), // content or paths
      privateKey: files.key,
      intermediates: files.chain,
      trustAnchorArn: arns.trustAnchor,
      profileArn: arns.profile,
      roleArn: arns.role,
      endpoint: emulator.url,
    }),
  });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  console.log(`new STSClient({ credentials: fromRolesAnywhere({...}) }).send(new GetCallerIdentityCommand({})) →\n  ${identity.Arn}`);
  console.log('→ the emulator\'s STS verified the request\'s SigV4 signature with the secret it issued');

  step('serve: an IMDSv2 endpoint for SDKs that read instance metadata');
  show(['serve', ...common, '--port', '0']);
  const serve = spawn(process.execPath, [cli, 'serve', ...common, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(serve);
  serve.on('close', () => children.delete(serve));
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
} catch (error) {
  // One line: a step's helper has said why on standard error already.
  console.error(`demo: ${error.message}`);
  process.exitCode = 1;
} finally {
  leaveNothing();
  await emulator?.close();
}
