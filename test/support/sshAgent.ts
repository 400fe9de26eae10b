import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { wireString, wireUint32 } from '../../src/keys/sshAgent/sshWire.js';

/**
 * OpenSSH's own ssh-agent, started by a test file on a socket of its own (`ssh-agent -D -a`), with keys added
 * by ssh-add. Its environment has no SSH_ASKPASS and no DISPLAY, so a key added with `ssh-add -c` cannot be
 * confirmed and the agent refuses every signature with it, as it does for a user who cannot see the dialog.
 */
export class SshAgent {
  private constructor(
    readonly socketPath: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(socketPath: string): Promise<SshAgent> {
    const child = spawn('ssh-agent', ['-D', '-a', socketPath], { env: { PATH: process.env.PATH }, stdio: 'ignore' });
    const agent = new SshAgent(socketPath, child);
    for (let waited = 0; !existsSync(socketPath); waited += 20) {
      if (child.exitCode !== null || waited > 5_000) throw new Error(`ssh-agent did not start on ${socketPath}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return agent;
  }

  get env(): { SSH_AUTH_SOCK: string } {
    return { SSH_AUTH_SOCK: this.socketPath };
  }

  /**
   * Adds a key file (OpenSSH or PKCS#8 PEM, mode 0600); `confirm` is `ssh-add -c`, `host` is `ssh-add -h`
   * (usable to that host only: its host key, made beside the key, is given with -H). Returns its fingerprint.
   */
  add(keyPath: string, options: { confirm?: boolean; host?: string } = {}): string {
    const args = options.confirm ? ['-c'] : [];
    if (options.host) {
      const hostKey = sshKeygen(`${keyPath}.host-key`, 'ed25519');
      const knownHosts = `${keyPath}.known_hosts`;
      writeFileSync(knownHosts, `${options.host} ${readFileSync(`${hostKey}.pub`, 'utf8')}`);
      args.push('-H', knownHosts, '-h', options.host);
    }
    execFileSync('ssh-add', [...args, keyPath], { env: this.#sshEnv(), stdio: 'pipe' });
    return fingerprintOf(keyPath);
  }

  /**
   * Adds a key file with an OpenSSH certificate for it (signed by a throw-away CA key made beside it), then
   * removes the plain key: the agent holds the certificate entry only. Returns the key's fingerprint.
   */
  addCertified(keyPath: string): string {
    const fingerprint = this.addWithCertificate(keyPath);
    this.removePlainKey(keyPath);
    return fingerprint;
  }

  /** Adds a key file and an OpenSSH certificate for it: two entries of one key. Returns the key's fingerprint. */
  addWithCertificate(keyPath: string): string {
    const ca = sshKeygen(`${keyPath}.ssh-ca`, 'ed25519');
    writeFileSync(`${keyPath}.pub`, execFileSync('ssh-keygen', ['-y', '-f', keyPath]));
    execFileSync('ssh-keygen', ['-q', '-s', ca, '-I', 'test', '-n', 'test', `${keyPath}.pub`]); // writes <key>-cert.pub
    execFileSync('ssh-add', [keyPath], { env: this.#sshEnv(), stdio: 'pipe' });
    return fingerprintOf(keyPath);
  }

  /** `ssh-add -d <key>.pub`: the plain key's entry goes, its certificate's stays. */
  removePlainKey(keyPath: string): void {
    execFileSync('ssh-add', ['-d', `${keyPath}.pub`], { env: this.#sshEnv(), stdio: 'pipe' });
  }

  /**
   * `ssh-add -x` (lock) or `-X` (unlock) with a password, through an askpass program beside the socket (ssh-add
   * asks no terminal when SSH_ASKPASS_REQUIRE is force).
   */
  setLocked(locked: boolean): void {
    const askpass = `${this.socketPath}.askpass`;
    writeFileSync(askpass, '#!/bin/sh\necho lock-password\n', { mode: 0o700 });
    execFileSync('ssh-add', [locked ? '-x' : '-X'], { env: { ...this.#sshEnv(), SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force' }, stdio: 'pipe' });
  }

  /** `ssh-add -l` as the user sees it. */
  list(): string {
    return execFileSync('ssh-add', ['-l'], { env: this.#sshEnv(), encoding: 'utf8' });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
  }

  #sshEnv(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, SSH_AUTH_SOCK: this.socketPath };
  }
}

/** The OpenSSH fingerprint of a key file, as ssh-keygen prints it. */
export function fingerprintOf(keyPath: string): string {
  const line = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', keyPath], { encoding: 'utf8' });
  return /SHA256:[A-Za-z0-9+/]+/.exec(line)![0];
}

/** A new key file written by ssh-keygen (for the types node:crypto keys cannot be added as: Ed25519, RSA-1024). */
export function sshKeygen(path: string, type: 'ed25519' | 'rsa-1024'): string {
  const args = type === 'ed25519' ? ['-t', 'ed25519'] : ['-t', 'rsa', '-b', '1024'];
  execFileSync('ssh-keygen', [...args, '-N', '', '-q', '-C', `test ${type}`, '-f', path]);
  return path;
}

/** The public key blob an agent lists for an RSA or EC P-256/P-384 key. */
export function sshKeyBlob(key: KeyObject): Buffer {
  const jwk = publicOf(key).export({ format: 'jwk' });
  if (jwk.kty === 'RSA') return Buffer.concat([wireString('ssh-rsa'), wireMpint(b64(jwk.e)), wireMpint(b64(jwk.n))]);
  const curve = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' }[jwk.crv!]!;
  return Buffer.concat([wireString(`ecdsa-sha2-${curve}`), wireString(curve), wireString(ecPoint(key))]);
}

/** `04‖X‖Y` of an EC key. */
export function ecPoint(key: KeyObject): Buffer {
  const jwk = publicOf(key).export({ format: 'jwk' });
  return Buffer.concat([Buffer.of(4), b64(jwk.x), b64(jwk.y)]);
}

/**
 * An OpenSSH private key file for an ECDSA security key (`sk-ecdsa-sha2-nistp256@openssh.com`) with this
 * P-256 point and a made-up key handle: ssh-add adds it without the token (which is needed only to sign),
 * so the agent lists a real sk key for the test, as it would for a user's YubiKey.
 */
export function skEcdsaKeyFile(point: Buffer): string {
  const type = 'sk-ecdsa-sha2-nistp256@openssh.com';
  const publicPart = [wireString(type), wireString('nistp256'), wireString(point), wireString('ssh:')];
  const keyHandle = wireString(Buffer.alloc(32, 0x11));
  let secret = Buffer.concat([wireUint32(7), wireUint32(7), ...publicPart, Buffer.of(1), keyHandle, wireString(''), wireString('test sk')]);
  for (let pad = 1; secret.length % 8 !== 0; pad++) secret = Buffer.concat([secret, Buffer.of(pad)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    wireString('none'),
    wireString('none'),
    wireString(''),
    wireUint32(1),
    wireString(Buffer.concat(publicPart)),
    wireString(secret),
  ]);
  const base64 = body.toString('base64').replace(/.{1,70}/g, '$&\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${base64}-----END OPENSSH PRIVATE KEY-----\n`;
}

/** A non-negative integer's magnitude as an SSH mpint (a zero byte first when its top bit is set). */
export function wireMpint(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const bytes = magnitude.subarray(start);
  return wireString(bytes.length > 0 && bytes[0]! & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes);
}

const b64 = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');

/** What a fake agent does with one request: answer these message bytes (type first), or nothing at all. */
export type FakeAgentHandler = (type: number, body: Buffer) => Buffer | 'silent';

/**
 * An agent of our own on a UNIX socket, for what OpenSSH's agent will not do: answer in an old or wrong
 * format, stay silent, send garbage. Each test says why it needs one.
 */
export class FakeAgent {
  readonly requests: { type: number; body: Buffer }[] = [];
  readonly #sockets = new Set<Socket>();

  private constructor(
    readonly socketPath: string,
    private readonly server: Server,
  ) {}

  static async start(socketPath: string, handler: FakeAgentHandler): Promise<FakeAgent> {
    if (existsSync(socketPath)) unlinkSync(socketPath);
    let agent: FakeAgent | undefined;
    const server = createServer((socket) => {
      agent!.#sockets.add(socket);
      socket.on('close', () => agent!.#sockets.delete(socket));
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
          const message = buffered.subarray(4, 4 + buffered.readUInt32BE(0));
          buffered = buffered.subarray(4 + message.length);
          agent!.requests.push({ type: message[0]!, body: message.subarray(1) });
          const answer = handler(message[0]!, message.subarray(1));
          if (answer !== 'silent') socket.write(Buffer.concat([wireUint32(answer.length), answer]));
        }
      });
    });
    agent = new FakeAgent(socketPath, server);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return agent;
  }

  get env(): { SSH_AUTH_SOCK: string } {
    return { SSH_AUTH_SOCK: this.socketPath };
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** An SSH_AGENT_IDENTITIES_ANSWER listing these keys. */
export function identitiesAnswer(keys: readonly { blob: Buffer; comment: string }[]): Buffer {
  return Buffer.concat([Buffer.of(12), wireUint32(keys.length), ...keys.flatMap((k) => [wireString(k.blob), wireString(k.comment)])]);
}

/** An SSH_AGENT_SIGN_RESPONSE carrying `string format, string blob`. */
export function signResponse(format: string, blob: Buffer): Buffer {
  return Buffer.concat([Buffer.of(14), wireString(Buffer.concat([wireString(format), wireString(blob)]))]);
}

export const FAILURE = Buffer.of(5);

const publicOf = (key: KeyObject) => (key.type === 'public' ? key : createPublicKey(key));
