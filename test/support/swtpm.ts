import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Tag,
  contextTag,
  decodeOctetString,
  encodeNode,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  encodeUnsignedInteger,
  readRoot,
  sequence,
} from '../../src/asn1/der.js';
import { decodePem, encodePem } from '../../src/asn1/pem.js';
import type { Scenario } from './scenario.js';

/**
 * A private software TPM (swtpm) for one test file: its own state folder and port pair, started with
 * `--flags not-need-init,startup-clear`, ready when tpm2_getrandom answers, stopped by its PID. It has no
 * resource manager, like a bare TPM, so every fixture helper here flushes what it loads.
 */
export class Swtpm {
  private constructor(
    readonly dir: string,
    /** The TCTI string, e.g. `swtpm:host=127.0.0.1,port=40123`. */
    readonly tcti: string,
    private readonly process: ChildProcess,
  ) {}

  /** For child processes: tpm2-tools' and the tpm2-openssl provider's TCTI variables. */
  get env(): Record<string, string> {
    return { TPM2TOOLS_TCTI: this.tcti, TPM2OPENSSL_TCTI: this.tcti };
  }

  /** Starts swtpm on TCP (a free port pair), or on a UNIX socket (`swtpm.sock` in its folder). */
  static async start(options: { unixSocket?: boolean } = {}): Promise<Swtpm> {
    const dir = mkdtempSync(join(tmpdir(), 'rah-swtpm-'));
    for (let attempt = 1; ; attempt++) {
      const [server, control, tcti] = options.unixSocket
        ? [`type=unixio,path=${dir}/swtpm.sock`, `type=unixio,path=${dir}/swtpm.sock.ctrl`, `swtpm:path=${dir}/swtpm.sock`]
        : await tcpChannels();
      const child = spawn('swtpm', ['socket', '--tpm2', '--tpmstate', `dir=${dir}`, '--server', server, '--ctrl', control,
        '--flags', 'not-need-init,startup-clear'], { stdio: 'ignore' });
      const swtpm = new Swtpm(dir, tcti, child);
      if (await swtpm.#ready()) {
        swtpm.forgiveWrongPasswords();
        return swtpm;
      }
      await swtpm.stop(false);
      if (attempt === 5) throw new Error(`swtpm did not start (${tcti})`);
    }
  }

  /**
   * The suite's lockout settings, and no lockout: wrong-password tests must not lock the TPM for the tests
   * after them (swtpm allows 3 failures), so it takes 1,000 and forgets one a second.
   */
  forgiveWrongPasswords(): void {
    this.tool('tpm2_dictionarylockout', ['-s', '-n', '1000', '-t', '1', '-l', '1']);
    this.tool('tpm2_dictionarylockout', ['--clear-lockout']);
  }

  /** A TPM of its own that locks out after `maxTries` wrong passwords, as the suite's does not, for `use`; then stopped. */
  static async lockingOutAfter(maxTries: number, use: (tpm: Swtpm) => Promise<void>): Promise<void> {
    const tpm = await Swtpm.start();
    try {
      tpm.countWrongPasswords(maxTries);
      await use(tpm);
    } finally {
      await tpm.stop();
    }
  }

  /** Locks out after `maxTries` wrong passwords, counted until forgiveWrongPasswords() (a test's length). */
  countWrongPasswords(maxTries = 1000): void {
    this.tool('tpm2_dictionarylockout', ['-s', '-n', String(maxTries), '-t', '600', '-l', '600']);
  }

  /** The wrong passwords counted toward the lockout (TPM2_PT_LOCKOUT_COUNTER). */
  lockoutCounter(): number {
    return Number(/TPM2_PT_LOCKOUT_COUNTER:\s*(\S+)/.exec(this.tool('tpm2_getcap', ['properties-variable']).toString())![1]);
  }

  /** Runs a tpm2-tools command (or openssl) against this TPM; returns its stdout. */
  tool(command: string, args: readonly string[], input?: string | Buffer): Buffer {
    return execFileSync(command, args, { env: { ...process.env, ...this.env }, input, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** The handles of the given kind now in the TPM (`handles-transient`, `handles-loaded-session`, ...). */
  handles(kind: string): string[] {
    return this.tool('tpm2_getcap', [kind]).toString().split('\n').filter((line) => line.startsWith('- '));
  }

  /** A TSS2 key file made by the tpm2-openssl provider, under the owner hierarchy (parent 0x40000001). */
  createKeyFile(path: string, key: { algorithm: 'EC' | 'RSA'; curve?: string; password?: string }): string {
    const options = key.algorithm === 'EC' ? ['-pkeyopt', `group:${key.curve ?? 'P-256'}`] : ['-pkeyopt', 'bits:2048'];
    if (key.password) options.push('-pkeyopt', `user-auth:${key.password}`);
    this.tool('openssl', ['genpkey', ...PROVIDERS, '-algorithm', key.algorithm, ...options, '-out', path]);
    return path;
  }

  /**
   * A key made with tpm2_create under a storage primary key created from `template` (tpm2_createprimary
   * arguments): its TPM2B blobs and, as tpm2_create reports it, its public key (SubjectPublicKeyInfo DER).
   * `attributes` are tpm2_create's -a; `hierarchy` is tpm2_createprimary's -C (the owner's unless told).
   */
  createKeyBlobs(template: readonly string[], algorithm: string, attributes: string, password?: string, hierarchy = 'o') {
    const work = mkdtempSync(join(this.dir, 'blobs-'));
    try {
      this.tool('tpm2_createprimary', ['-Q', '-C', hierarchy, ...template, '-c', `${work}/parent.ctx`]);
      this.tool('tpm2_flushcontext', ['-t']);
      const auth = password ? ['-p', `str:${password}`] : [];
      this.tool('tpm2_create', ['-Q', '-C', `${work}/parent.ctx`, '-G', algorithm, '-a', attributes, ...auth,
        '-u', `${work}/key.pub`, '-r', `${work}/key.priv`, '-f', 'der', '-o', `${work}/spki.der`]);
      this.tool('tpm2_flushcontext', ['-t']);
      return { public: readFileSync(`${work}/key.pub`), private: readFileSync(`${work}/key.priv`), spki: readFileSync(`${work}/spki.der`) };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** A persistent key at `handle` (e.g. 0x81000101), made with tpm2_create under the standard ECC storage key. */
  createPersistentKey(handle: string, algorithm: string, attributes = SIGNING_KEY, password?: string): void {
    const work = mkdtempSync(join(this.dir, 'persistent-'));
    try {
      const blobs = this.createKeyBlobs(ECC_STORAGE_TEMPLATE, algorithm, attributes, password);
      writeFileSync(`${work}/key.pub`, blobs.public);
      writeFileSync(`${work}/key.priv`, blobs.private);
      this.tool('tpm2_createprimary', ['-Q', '-C', 'o', ...ECC_STORAGE_TEMPLATE, '-c', `${work}/parent.ctx`]);
      this.tool('tpm2_flushcontext', ['-t']);
      this.tool('tpm2_load', ['-Q', '-C', `${work}/parent.ctx`, '-u', `${work}/key.pub`, '-r', `${work}/key.priv`, '-c', `${work}/key.ctx`]);
      this.tool('tpm2_flushcontext', ['-t']);
      this.tool('tpm2_evictcontrol', ['-Q', '-C', 'o', '-c', `${work}/key.ctx`, handle]);
      this.tool('tpm2_flushcontext', ['-t']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /**
   * Has the TPM sign a CSR with `key` (a key file, or `handle:0x...`) through the tpm2-openssl provider,
   * checks the CSR's signature, and returns the public key it carries (SubjectPublicKeyInfo DER).
   */
  csrPublicKey(key: string, subject: string, password?: string): Buffer {
    const csr = this.tool('openssl', ['req', '-new', ...PROVIDERS, '-key', key, '-subj', subject,
      ...(password ? ['-passin', `pass:${password}`] : [])]);
    const verified = execFileSync('openssl', ['req', '-noout', '-verify', '-pubkey'], { input: csr, stdio: ['pipe', 'pipe', 'pipe'] });
    const block = decodePem(verified.toString()).find((b) => b.type === 'PUBLIC KEY');
    if (!block) throw new Error(`openssl req -verify printed no public key for ${key}`);
    return block.der;
  }

  /** Stops swtpm by its PID and waits for it to exit; removes its state unless told to keep it. */
  async stop(removeState = true): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGTERM');
      await exited;
    }
    if (removeState) rmSync(this.dir, { recursive: true, force: true });
  }

  async #ready(): Promise<boolean> {
    for (let i = 0; i < 100; i++) {
      if (this.process.exitCode !== null) return false;
      try {
        this.tool('tpm2_getrandom', ['4']);
        return true;
      } catch {
        await sleep(50);
      }
    }
    return false;
  }
}

const PROVIDERS = ['-provider', 'tpm2', '-provider', 'default'];

/** The owner-hierarchy storage key the reference and the tpm2-openssl provider use for parent 0x40000001. */
export const ECC_STORAGE_TEMPLATE = ['-g', 'sha256', '-G', 'ecc256:aes128cfb', '-a', 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt|noda'];
/** Its RSA-2048 counterpart (tpm2-tss-engine's). */
export const RSA_STORAGE_TEMPLATE = ['-g', 'sha256', '-G', 'rsa2048:aes128cfb', '-a', 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt|noda'];
export const SIGNING_KEY = 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign';

/** Two consecutive free TCP ports on 127.0.0.1, as swtpm's server and control channels. */
async function tcpChannels(): Promise<[string, string, string]> {
  for (;;) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 20_000);
    if ((await portFree(port)) && (await portFree(port + 1))) {
      return [`type=tcp,port=${port},bindaddr=127.0.0.1`, `type=tcp,port=${port + 1},bindaddr=127.0.0.1`, `swtpm:host=127.0.0.1,port=${port}`];
    }
  }
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The fields of a TSS2 key file, to write valid and deliberately broken ones. */
export interface Tss2Fields {
  readonly type?: string;
  readonly emptyAuth?: boolean;
  /** Extra EXPLICIT-tagged fields: [1] policy, [2] secret, [3] authPolicy, [5] rsaParent, ... (DER of the inner value). */
  readonly tagged?: Readonly<Record<number, Buffer>>;
  readonly parent?: number;
  readonly publicBlob: Buffer;
  readonly privateBlob: Buffer;
}

/** A `-----BEGIN TSS2 PRIVATE KEY-----` PEM file's text. */
export function encodeTss2KeyFile(fields: Tss2Fields): string {
  const tagged = new Map<number, Buffer>(Object.entries(fields.tagged ?? {}).map(([n, der]) => [Number(n), der]));
  if (fields.emptyAuth !== undefined) tagged.set(0, encodeNode(Tag.BOOLEAN, Buffer.from([fields.emptyAuth ? 0xff : 0])));
  const parent = Buffer.alloc(4);
  parent.writeUInt32BE(fields.parent ?? 0x4000_0001);
  const der = encodeSequence(
    encodeOid(fields.type ?? '2.23.133.10.1.3'),
    ...[...tagged.entries()].sort(([a], [b]) => a - b).map(([n, inner]) => encodeNode(contextTag(n, true), inner)),
    encodeUnsignedInteger(parent),
    encodeOctetString(fields.publicBlob),
    encodeOctetString(fields.privateBlob),
  );
  return encodePem('TSS2 PRIVATE KEY', der);
}

/** The pubkey and privkey blobs of a TSS2 key file. */
export function tss2Blobs(pem: string): { publicBlob: Buffer; privateBlob: Buffer } {
  const der = decodePem(pem).find((b) => b.type === 'TSS2 PRIVATE KEY')!.der;
  const [publicBlob, privateBlob] = sequence(readRoot(der))
    .filter((node) => node.tag === Tag.OCTET_STRING)
    .map(decodeOctetString);
  return { publicBlob: publicBlob!, privateBlob: privateBlob! };
}

/** A certificate from the scenario's CA for the public key of a CSR the TPM signed with `key`; returns its path. */
export async function certifyTpmKey(swtpm: Swtpm, scenario: Scenario, name: string, key: string, password?: string): Promise<string> {
  const spki = swtpm.csrPublicKey(key, `/CN=${name}`, password);
  return scenario.workspace.write(`${name}-cert.pem`, (await scenario.ca.issue({ subject: `CN=${name}`, publicKey: spki })).pem);
}
