// What the benchmarks share: a built CLI, a throw-away PKI and workload certificate, the emulator.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const cli = join(root, 'bin/aws_signing_helper.cjs');

export const ARNS = {
  trustAnchor: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/11111111-2222-3333-4444-555555555555',
  profile: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/66666666-7777-8888-9999-000000000000',
  role: 'arn:aws:iam::123456789012:role/bench',
};

/** Builds the CLI as users run it (scripts/build.mjs), in this checkout or another (a worktree of another revision). */
export function buildCli(checkout = root, stdio = 'inherit') {
  execFileSync(process.execPath, [join(checkout, 'scripts/build.mjs')], { cwd: checkout, stdio });
}

/** Builds the CLI, makes an EC P-256 workload certificate and starts the emulator trusting its CA. */
export async function benchFixture() {
  buildCli();
  const { startEmulator, CertificateAuthority, pkcs8Pem } = await import(join(root, 'dist/emulator.mjs'));
  const work = mkdtempSync(join(tmpdir(), 'rah-bench-'));
  const ca = await CertificateAuthority.create({ subject: 'CN=Bench Root' });
  const leaf = await ca.issue({ subject: 'CN=bench', keyAlgorithm: 'ec-p256' });
  writeFileSync(join(work, 'cert.pem'), leaf.pem);
  writeFileSync(join(work, 'key.pem'), pkcs8Pem(leaf.key));
  const emulator = await startEmulator({
    trustAnchors: [{ arn: ARNS.trustAnchor, certificates: ca.certificate.pem }],
    profiles: [{ arn: ARNS.profile, roleArns: [ARNS.role] }],
  });
  return {
    work,
    emulator,
    /** The CA the emulator trusts, for other workload certificates (another key type). */
    ca,
    /** The flags of credential-process / serve / update for this certificate and the emulator. */
    flags: [
      '--certificate', join(work, 'cert.pem'), '--private-key', join(work, 'key.pem'),
      '--trust-anchor-arn', ARNS.trustAnchor, '--profile-arn', ARNS.profile, '--role-arn', ARNS.role,
      '--endpoint', emulator.url,
    ],
    async close() {
      await emulator.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
