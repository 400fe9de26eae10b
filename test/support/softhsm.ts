import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertificateAuthority, IssuedCertificate } from '../../src/emulator/pki/certificateAuthority.js';
import { generateKey, type GeneratedKey, type KeyAlgorithm } from '../../src/emulator/pki/generateKey.js';

export const USER_PIN = '1234';
const SO_PIN = '12345678';

/** The SoftHSM 2 module; Debian has it in two places (one a symlink), other systems elsewhere. */
export const softHsmModule = firstExisting('SoftHSM module (libsofthsm2.so)', [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
]);

/** OpenSC's pkcs11-spy: a module that logs every call to PKCS11SPY_OUTPUT and passes it on to PKCS11SPY. */
export function pkcs11SpyModule(): string {
  return firstExisting('OpenSC pkcs11-spy.so', [
    '/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so',
    '/usr/lib/aarch64-linux-gnu/pkcs11/pkcs11-spy.so',
    '/usr/lib64/pkcs11/pkcs11-spy.so',
    '/usr/lib/pkcs11/pkcs11-spy.so',
  ]);
}

/** p11-kit's client module, which reaches the tokens a `p11-kit server` forwards (P11_KIT_SERVER_ADDRESS). */
export function p11KitClientModule(): string {
  return firstExisting('p11-kit-client.so', [
    '/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-client.so',
    '/usr/lib/aarch64-linux-gnu/pkcs11/p11-kit-client.so',
    '/usr/lib64/pkcs11/p11-kit-client.so',
    '/usr/lib/pkcs11/p11-kit-client.so',
  ]);
}

export interface TokenIdentity {
  readonly key: GeneratedKey;
  readonly certificate: IssuedCertificate;
}

export interface ObjectLabel {
  /** CKA_ID, hex. */
  readonly id: string;
  /** CKA_LABEL. */
  readonly label: string;
}

/** What a test needs to name a token exactly: its label, serial and (random) slot number. */
export interface TokenInfo {
  readonly label: string;
  readonly serial: string;
  readonly slot: string;
}

/**
 * A private SoftHSM 2 store for one test file: its own token directory and SOFTHSM2_CONF (pass `env` to
 * child processes, or call `useInThisProcess` before loading the module here), tokens selected by label,
 * objects written with softhsm2-util and pkcs11-tool. `cleanup` removes it all.
 */
export class SoftHsm {
  readonly dir = mkdtempSync(join(tmpdir(), 'rah-softhsm-'));
  readonly confPath = join(this.dir, 'softhsm2.conf');
  readonly env: Readonly<Record<string, string>> = { SOFTHSM2_CONF: this.confPath };
  #files = 0;

  constructor() {
    mkdirSync(join(this.dir, 'tokens'));
    writeFileSync(
      this.confPath,
      `directories.tokendir = ${join(this.dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
    );
  }

  /** Makes this process's SoftHSM (once loaded) use this store. */
  useInThisProcess(): void {
    process.env.SOFTHSM2_CONF = this.confPath;
  }

  initToken(label: string, pin = USER_PIN): TokenInfo {
    this.#run('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', SO_PIN, '--pin', pin]);
    return this.tokenInfo(label);
  }

  tokenInfo(label: string): TokenInfo {
    const slots = this.#run('softhsm2-util', ['--show-slots']).split(/^Slot /m).slice(1);
    for (const block of slots) {
      if (/^\s+Label:\s+(.*?)\s*$/m.exec(block)?.[1] !== label) continue;
      return { label, serial: /^\s+Serial number:\s+(\S+)/m.exec(block)![1]!, slot: /^(\d+)/.exec(block)![1]! };
    }
    throw new Error(`no SoftHSM token labelled ${label}`);
  }

  /** A key pair, as softhsm2-util imports it: the private key and (unless `publicKey: false`) its public key. */
  importKeyPair(token: string, pkcs8: Buffer, object: ObjectLabel & { publicKey?: boolean }, pin = USER_PIN): void {
    const file = this.#file('key.pem', `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`);
    const noPublicKey = object.publicKey === false ? ['--no-public-key'] : [];
    const { serial } = this.tokenInfo(token);
    this.#run('softhsm2-util', ['--import', file, '--serial', serial, '--label', object.label, '--id', object.id, '--pin', pin, '--force', ...noPublicKey]);
  }

  /** A private key alone (no public-key object), as pkcs11-tool writes it; optionally CKA_ALWAYS_AUTHENTICATE. */
  writePrivateKey(token: string, pkcs8: Buffer, object: ObjectLabel & { alwaysAuthenticate?: boolean }, pin = USER_PIN): void {
    const extra = object.alwaysAuthenticate ? ['--always-auth'] : [];
    this.#writeObject(token, pin, this.#file('key.der', pkcs8), ['--type', 'privkey', '--usage-sign', ...extra], object);
  }

  /**
   * A certificate object (DER). `private` ones (CKA_PRIVATE, visible only after login) are written by p11tool,
   * because pkcs11-tool 0.23 ignores --private for certificates.
   */
  writeCertificate(token: string, der: Buffer, object: ObjectLabel & { private?: boolean }, pin = USER_PIN): void {
    if (!object.private) {
      this.#writeObject(token, pin, this.#file('cert.der', der), ['--type', 'cert'], object);
      return;
    }
    const pem = this.#file('cert.pem', `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`);
    const { serial } = this.tokenInfo(token);
    this.#run(
      'p11tool',
      ['--provider', softHsmModule, '--login', '--write', '--load-certificate', pem, '--label', object.label, '--id', object.id, '--mark-private', `pkcs11:token=${token};serial=${serial}`],
      { GNUTLS_PIN: pin },
    );
  }

  /**
   * A certificate object holding `der` as it is, though nothing parses it: pkcs11-tool and p11tool refuse to
   * write one OpenSSL or GnuTLS cannot read. Written with pkcs11js in a process of its own (a module is
   * initialized once a process).
   */
  writeUnparsedCertificate(token: string, der: Buffer, object: ObjectLabel, pin = USER_PIN): void {
    const script = `
      const pkcs11js = require('pkcs11js');
      const [module, token, pin, der, id, label] = process.argv.slice(1);
      const api = new pkcs11js.PKCS11();
      api.load(module);
      api.C_Initialize();
      try {
        const slot = api.C_GetSlotList(true).find((s) => api.C_GetTokenInfo(s).label.trim() === token);
        const session = api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
        api.C_Login(session, pkcs11js.CKU_USER, pin);
        api.C_CreateObject(session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
          { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_SUBJECT, value: Buffer.from('3000', 'hex') },
          { type: pkcs11js.CKA_VALUE, value: Buffer.from(der, 'hex') },
          { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
          { type: pkcs11js.CKA_LABEL, value: label },
        ]);
      } finally {
        api.C_Finalize();
      }`;
    execFileSync(process.execPath, ['-e', script, softHsmModule, token, pin, der.toString('hex'), object.id, object.label], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** A key pair generated on the token by pkcs11-tool, e.g. `EC:edwards25519` (a type the helper cannot sign with). */
  generateKeyPair(token: string, keyType: string, object: ObjectLabel, pin = USER_PIN): void {
    this.#run('pkcs11-tool', [
      '--module', softHsmModule, '--slot', this.tokenInfo(token).slot, '--login', '--pin', pin,
      '--keypairgen', '--key-type', keyType, '--id', object.id, '--label', object.label,
    ]);
  }

  /** Deletes the objects of a type (privkey, pubkey, cert) with this CKA_ID, as a token holder replacing a key would. */
  deleteObjects(token: string, type: 'privkey' | 'pubkey' | 'cert', id: string, pin = USER_PIN): void {
    this.#run('pkcs11-tool', [
      '--module', softHsmModule, '--slot', this.tokenInfo(token).slot, '--login', '--pin', pin,
      '--delete-object', '--type', type, '--id', id,
    ]);
  }

  /**
   * A new key, a certificate for it from `issuer` (subject `CN=<label>,O=roles-anywhere-helper tests`),
   * both on the token under one id and label: the key pair imported by softhsm2-util, the certificate
   * written by pkcs11-tool.
   */
  async addIdentity(
    token: string,
    issuer: CertificateAuthority,
    algorithm: KeyAlgorithm,
    object: ObjectLabel,
    pin = USER_PIN,
  ): Promise<TokenIdentity> {
    const key = generateKey(algorithm);
    const certificate = await issuer.issue({ subject: `CN=${object.label},O=roles-anywhere-helper tests`, publicKey: key.spki });
    this.importKeyPair(token, key.pkcs8(), object, pin);
    this.writeCertificate(token, certificate.der, object, pin);
    return { key, certificate };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** pkcs11-tool's --token-label matches prefixes (token "a" would also pick "a-2"): name the slot instead. */
  #writeObject(token: string, pin: string, file: string, args: string[], object: ObjectLabel): void {
    this.#run('pkcs11-tool', [
      '--module', softHsmModule, '--slot', this.tokenInfo(token).slot, '--login', '--pin', pin,
      '--write-object', file, '--id', object.id, '--label', object.label, ...args,
    ]);
  }

  #file(name: string, data: string | Buffer): string {
    const path = join(this.dir, `${++this.#files}-${name}`);
    writeFileSync(path, data, { mode: 0o600 });
    return path;
  }

  #run(command: string, args: string[], env: Record<string, string> = {}): string {
    return execFileSync(command, args, { env: { ...process.env, ...this.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

function firstExisting(what: string, paths: readonly string[]): string {
  const found = paths.find((path) => existsSync(path));
  if (!found) throw new Error(`${what} not found in ${paths.join(', ')}: run scripts/setup.sh`);
  return found;
}
