import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/emulator.js';
import type { IssuedSession } from '../../src/emulator/records.js';
import { CertificateAuthority, type CertificateOptions, type IssuedCertificate } from '../../src/emulator/pki/certificateAuthority.js';
import { pkcs8Pem } from '../../src/emulator/pki/generateKey.js';
import { runCli } from './cli.js';

export const ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/11111111-2222-3333-4444-555555555555',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/66666666-7777-8888-9999-000000000000',
  roleArn: 'arn:aws:iam::123456789012:role/test-role',
} as const;

/** The flags of those ARNs on a command line. */
export const ARN_FLAGS: readonly string[] = ['--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', ARNS.profileArn, '--role-arn', ARNS.roleArn];

/** A folder for one test file's keys and certificates, removed by `cleanup`. */
export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'rah-test-'));

  /** Writes a file of this mode (set after writing: the umask would narrow writeFileSync's). */
  write(name: string, data: string | Buffer, mode = 0o600): string {
    const path = join(this.dir, name);
    writeFileSync(path, data);
    chmodSync(path, mode);
    return path;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A leaf certificate with its key written to files. */
export interface LeafFiles {
  readonly certificate: IssuedCertificate;
  readonly certPath: string;
  readonly keyPath: string;
}

/**
 * Copies of a leaf's certificate (0644) and key (0600) in `folder`, as cert.pem and key.pem, both given to
 * `uid`: the files a command run as that user (through setpriv) reads.
 */
export function leafFilesOf(uid: number, leaf: LeafFiles, folder: string): [certificate: string, key: string] {
  const [certificate, key] = ['cert.pem', 'key.pem'].map((name) => join(folder, name)) as [string, string];
  writeFileSync(certificate, readFileSync(leaf.certPath), { mode: 0o644 });
  writeFileSync(key, readFileSync(leaf.keyPath), { mode: 0o600 });
  for (const file of [certificate, key]) chownSync(file, uid, uid);
  return [certificate, key];
}

/**
 * For nobody (uid 65534), run as root: in a new folder of the temporary folder, the leaf's files (leafFilesOf)
 * and a home folder that is there but out of reach, below a folder only root may enter (`closed`, 0700).
 * Remove `base` after.
 */
export function unreachableHome(leaf: LeafFiles): { base: string; closed: string; home: string; certificate: string; key: string } {
  const base = mkdtempSync(join(tmpdir(), 'rah-unreachable-home-'));
  chmodSync(base, 0o755);
  const [certificate, key] = leafFilesOf(65534, leaf, base);
  const closed = join(base, 'root-only');
  const home = join(closed, 'home');
  mkdirSync(home, { recursive: true });
  chmodSync(closed, 0o700);
  return { base, closed, home, certificate, key };
}

/** A root CA trusted by a running emulator, a workspace, and helpers to make leaves and command lines. */
export class Scenario {
  readonly #others: RunningEmulator[] = [];

  private constructor(
    readonly workspace: Workspace,
    readonly ca: CertificateAuthority,
    readonly emulator: RunningEmulator,
  ) {}

  static async start({ caKey, ...options }: Partial<EmulatorOptions> & { caKey?: 'ec-p256' | 'rsa-2048' } = {}): Promise<Scenario> {
    const workspace = new Workspace();
    const ca = await CertificateAuthority.create({ subject: 'CN=Test Root CA,O=roles-anywhere-helper tests', keyAlgorithm: caKey ?? 'ec-p256' });
    // caKey is the scenario's: startEmulator refuses a key it does not know.
    const emulator = await startEmulator({
      trustAnchors: [{ arn: ARNS.trustAnchorArn, certificates: ca.certificate.pem }],
      profiles: [{ arn: ARNS.profileArn, roleArns: [ARNS.roleArn], acceptRoleSessionName: true }],
      ...options,
    });
    workspace.write('root.pem', ca.certificate.pem);
    return new Scenario(workspace, ca, emulator);
  }

  /** Issues a leaf and writes `<name>-cert.pem` and `<name>-key.pem` (unencrypted PKCS#8). */
  async leaf(name: string, options: Partial<CertificateOptions> = {}, issuer: CertificateAuthority = this.ca): Promise<LeafFiles> {
    const certificate = await issuer.issue({ subject: `CN=${name},O=roles-anywhere-helper tests`, ...options });
    return {
      certificate,
      certPath: this.workspace.write(`${name}-cert.pem`, certificate.pem),
      keyPath: certificate.key ? this.workspace.write(`${name}-key.pem`, pkcs8Pem(certificate.key)) : '',
    };
  }

  /** Another emulator trusting the same CA, with other settings (e.g. short-lived credentials); stopped with the scenario. */
  async otherEmulator(options: Partial<EmulatorOptions>): Promise<RunningEmulator> {
    const emulator = await startEmulator({
      trustAnchors: [{ arn: ARNS.trustAnchorArn, certificates: this.ca.certificate.pem }],
      profiles: [{ arn: ARNS.profileArn, roleArns: [ARNS.roleArn] }],
      ...options,
    });
    this.#others.push(emulator);
    return emulator;
  }

  /**
   * Runs credential-process with these key flags against the scenario's emulator and checks that it printed
   * exactly the credentials the emulator issued, and nothing else anywhere.
   */
  async expectCredentialProcess(
    keyArgs: string[],
    options: { extra?: string[]; env?: Record<string, string>; input?: string | Buffer } = {},
  ): Promise<IssuedSession> {
    const before = this.emulator.issued.length;
    const result = await runCli(['credential-process', ...keyArgs, ...this.sessionFlags(), ...(options.extra ?? [])], { env: options.env, input: options.input });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(this.emulator.issued.length).toBe(before + 1);
    const issued = this.emulator.issued.at(-1)!;
    // The reference's default duration, an hour, when none is given.
    if (!options.extra?.some((arg) => arg.startsWith('--session-duration'))) expect(issued.durationSeconds).toBe(3600);
    expect(result.stdout).toBe(printedCredentials(issued));
    return issued;
  }

  /** The ARN and endpoint flags of a credential-process / serve / update command line: the scenario's emulator, or another endpoint. */
  sessionFlags(endpoint = this.emulator.url): string[] {
    return [...ARN_FLAGS, '--endpoint', endpoint];
  }

  async stop(): Promise<void> {
    await Promise.all([this.emulator, ...this.#others].map((emulator) => emulator.close()));
    this.workspace.cleanup();
  }
}

/** What credential-process prints for credentials an emulator issued (CreateSession's, or STS's for a chained role): the role's account last. */
export function printedCredentials(issued: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string; roleArn: string }): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: issued.accessKeyId,
    SecretAccessKey: issued.secretAccessKey,
    SessionToken: issued.sessionToken,
    Expiration: issued.expiration,
    AccountId: issued.roleArn.split(':')[4],
  });
}

/** Runs openssl (the system's OpenSSL 3) for the encodings node:crypto does not write. */
export function openssl(args: readonly string[], input?: Buffer | string): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}
