/**
 * PKCS#12 (.p12/.pfx) files given as --certificate without --private-key, read with node-forge: the legacy
 * 3DES/RC2 + SHA-1 files the reference reads, and the AES-256/PBKDF2/SHA-256 files OpenSSL 3 writes by
 * default. Loaded only when such a file is used.
 */
import forge from 'node-forge';
import { pbkdf2Sync } from 'node:crypto';
import { HelperError, reasonOf } from '../../errors.js';
import { CertificateParseError, parseCertificate, type Certificate } from '../certificate.js';
import { inputName, readInput, type Input } from '../input.js';
import type { KeySource, SigningIdentity } from '../keySource.js';
import { MAX_PKCS12_KDF_ITERATIONS, MAX_PKCS12_PBKDF2_ITERATIONS } from './kdfLimits.js';
import { KeyParseError } from '../keyParseError.js';
import type { FilePrivateKey } from './filePrivateKey.js';
import { parsePrivateKey } from './privateKey.js';
import { pkcs12Der } from './pkcs12File.js';
import { option, optionWays } from '../../optionNames.js';
import { SECRET_VARIABLES } from '../secretVariables.js';
import type { Logger } from '../../log/logger.js';
import { reloadOnChange } from '../reloadOnChange.js';
import { latestSecret } from '../secretFile.js';

/** node-forge's word for a password that does not open the file. */
const PASSWORD_FAILURE = /MAC could not be verified|Invalid password|Failed to decrypt PKCS#12 SafeContents|Unable to decrypt PKCS#8 ShroudedKeyBag/i;
/** What node-forge says of the file's own structure, before it decrypts anything. */
const STRUCTURE_FAILURE = /Cannot read (PKCS#12 PFX|ContentInfo|EncryptedContentInfo)|version other than 3|password integrity mode|authSafe|AuthenticatedSafe|Unsupported PKCS#12 contentType|SafeContents Data is not/i;

export interface Pkcs12Passwords {
  /** Given by the caller (a flag or its file, or the library's option): the only one tried, '' the empty one. */
  readonly password: string | undefined;
  /** Where it was read from, read again with each reading of the file. */
  readonly file?: string | undefined;
  /** AWS_ROLESANYWHERE_PKCS12_PASSWORD: tried first, then the empty password, when none was given. */
  readonly fromEnv: () => string | undefined;
}

export class Pkcs12KeySource implements KeySource {
  readonly description: string;
  readonly #current: () => Promise<SigningIdentity>;
  readonly #password: () => string | undefined;

  constructor(
    private readonly input: Input,
    private readonly passwords: Pkcs12Passwords,
    logger: Logger,
  ) {
    this.description = inputName(input);
    this.#password = latestSecret(passwords.password, passwords.file, 'PKCS#12 password from --pkcs12-password-file');
    this.#current = reloadOnChange([input], () => this.#load(), logger, 'PKCS#12 file changed on disk; reading it again');
  }

  current(): Promise<SigningIdentity> {
    return this.#current();
  }

  async close(): Promise<void> {}

  async #load(): Promise<SigningIdentity> {
    const data = readInput(this.input, 'PKCS#12 file');
    const contents = this.#decode(pkcs12Der(data) ?? data);
    if (contents.keys.length === 0) throw this.#error('it holds no private key');
    if (contents.certificates.length === 0) throw this.#error('it holds no certificate');
    if (contents.keys.length > 1) throw this.#error(`it holds ${contents.keys.length} private keys; one is expected`);
    const key = await this.#parseKey(contents.keys[0]!);
    const endEntity = contents.certificates.find((c) => key.isKeyOf(c.publicKey));
    if (!endEntity) throw this.#error('private key does not match any certificate in it');
    return {
      certificate: endEntity,
      chain: contents.certificates.filter((c) => c !== endEntity),
      publicKey: endEntity.publicKey,
      sign: async (message, digest) => key.sign(message, digest),
    };
  }

  #decode(data: Buffer): { keys: Buffer[]; certificates: Certificate[] } {
    let asn1: forge.asn1.Asn1;
    try {
      asn1 = forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary')));
    } catch {
      // It starts as a PKCS#12 file does (that is how it was taken for one): the rest is missing or damaged.
      throw this.#error('it is damaged or cut short (its DER does not parse)');
    }
    // An empty password has two encodings (BMP "00 00" and no bytes at all); files in the wild use both.
    // A file that opens without the environment's password did not need it: the variable may be set for
    // every run, whatever the file.
    const { fromEnv } = this.passwords;
    const password = this.#password();
    // A variable that cannot be used (not UTF-8) matters only for a file that does not open without it.
    let envPassword: string | undefined;
    let envProblem: unknown;
    // An empty one is none given, as an empty --pkcs12-password is (QA: the library's '' kept the variable's out).
    if (!password) {
      try {
        envPassword = fromEnv();
      } catch (error) {
        envProblem = error;
      }
    }
    const candidates: (string | null)[] = password ? [password] : envPassword ? [envPassword, '', null] : ['', null];
    let pfx: forge.pkcs12.Pkcs12Pfx | undefined;
    for (const candidate of candidates) {
      try {
        pfx = withUtf8Pbes2(() => forge.pkcs12.pkcs12FromAsn1(asn1, false, candidate as string));
        break;
      } catch (error) {
        if (error instanceof KeyParseError) throw this.#error(error.message);
        // A file without a MAC (openssl pkcs12 -nomac) shows a wrong password only when its certificates
        // (if encrypted) or its key are decrypted: as a decryption that fails, or, a few times in a thousand,
        // as bytes that decrypted and do not parse, which only a file's own structure, read before, rules out.
        const text = String(error);
        const wrongPassword = PASSWORD_FAILURE.test(text) || (asn1.value.length <= 2 && !STRUCTURE_FAILURE.test(text));
        if (!wrongPassword) {
          const cipher = (error as { oid?: unknown }).oid;
          if (typeof cipher === 'string' && /Unsupported OID/.test(text)) {
            // RC2-128, RC4 and others OpenSSL 3 writes only with -legacy.
            const name = forge.pki.oids[cipher];
            throw this.#error(
              `it is encrypted with ${name ? `${name} (${cipher})` : cipher}, which this helper cannot decrypt; ` +
                "export it again with OpenSSL 3's default, AES-256 (openssl pkcs12 -export)",
            );
          }
          // node-forge reads fields it did not check are there: its TypeError names none of them (fuzzing QA).
          const reason = error instanceof TypeError ? "its structure is not PKCS#12's" : String((error as Error).message ?? error);
          throw this.#error(`not a PKCS#12 file this helper can read (${reason})`);
        }
      }
    }
    if (!pfx && envProblem) throw envProblem;
    if (!pfx) {
      throw this.#error(
        password
          ? `wrong password (given with ${option('pkcs12Password')})`
          : envPassword
            ? `wrong password (from ${SECRET_VARIABLES.pkcs12Password})`
            : `it is protected by a password (give it with ${optionWays('pkcs12Password')} or ${SECRET_VARIABLES.pkcs12Password})`,
      );
    }
    const shroudedKeyBags = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? [];
    // A password given for a file that takes none (no MAC, nothing encrypted) is refused, as for a PKCS#8 key:
    // it opened with any password, and the caller may have meant another file.
    const protectedByPassword = asn1.value.length > 2 || pfx.safeContents.some((contents) => contents.encrypted) || shroudedKeyBags.length > 0;
    if (password && !protectedByPassword) throw this.#error('a PKCS#12 password was given but the file is not protected by one');
    const keyBags = [...shroudedKeyBags, ...(pfx.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? [])];
    const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
    return {
      keys: keyBags.map((bag) => toBuffer(bag.asn1 ?? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key!)))),
      certificates: certBags.map((bag) => {
        try {
          return parseCertificate(toBuffer(bag.asn1 ?? forge.pki.certificateToAsn1(bag.cert!)));
        } catch (error) {
          if (error instanceof CertificateParseError) throw this.#error(`could not parse a certificate in it: ${error.message}`);
          throw error;
        }
      }),
    };
  }

  async #parseKey(der: Buffer): Promise<FilePrivateKey> {
    try {
      return await parsePrivateKey({ encoding: 'pkcs8', der }, {});
    } catch (error) {
      if (error instanceof KeyParseError) throw this.#error(reasonOf(error));
      throw error;
    }
  }

  #error(reason: string): HelperError {
    return new HelperError(`failed to read PKCS#12 file ${this.description}: ${reason}`);
  }
}

/** node-forge's password-based encryption, which its typings leave out. */
type ForgePkcs12Kdf = (password: string | null, salt: unknown, id: number, iterations: number, n: number, md?: unknown) => unknown;
type ForgePbe = { getCipherForPBES2: (oid: string, params: forge.asn1.Asn1, password: string | null) => unknown; generatePkcs12Key: ForgePkcs12Kdf };
type ForgePbkdf2 = (password: string | null, salt: string, iterations: number, keyLength: number, md?: { algorithm?: string } | string) => string;
/** The PRFs of PBES2 whose node-forge digest is the one Node knows by that name. */
const NATIVE_PRFS = new Set(['sha1', 'sha256', 'sha384', 'sha512']);

/**
 * Runs node-forge with PBES2 (AES/PBKDF2, OpenSSL 3's default) given the password's UTF-8 bytes, as OpenSSL
 * derives its key from them: node-forge takes each character for a byte, which differs beyond ASCII. The
 * MAC and the legacy ciphers take the password as UTF-16, which node-forge does right. Its PBKDF2 is
 * Node's, ~30 times faster than node-forge's JavaScript one (600,000 iterations: 0.4 s against 11 s, in
 * which serve could not answer). Iterations past kdfLimits' in all are refused (a KeyParseError) before
 * the derivation that would pass them (fuzzing QA: a MAC of 2^31 iterations held the helper for what would
 * have been 50 minutes).
 * Patched only while `read` runs (synchronously), so that nothing else in the process sees it.
 */
function withUtf8Pbes2<T>(read: () => T): T {
  const pbe = (forge.pki as unknown as { pbe: ForgePbe }).pbe;
  const pkcs5 = forge.pkcs5 as unknown as { pbkdf2: ForgePbkdf2 };
  const pkcs12 = forge.pkcs12 as unknown as { generateKey: ForgePkcs12Kdf };
  const [original, originalPbkdf2, originalKdf, originalMacKdf] = [pbe.getCipherForPBES2, pkcs5.pbkdf2, pbe.generatePkcs12Key, pkcs12.generateKey];
  // Counted over the whole read, before each derivation runs.
  const spent = { pbkdf2: 0, pkcs12: 0 };
  const refuse = (iterations: number, kind: keyof typeof spent, advice = '') => {
    spent[kind] += iterations;
    const [max, what] = kind === 'pbkdf2' ? [MAX_PKCS12_PBKDF2_ITERATIONS, 'PBKDF2'] : [MAX_PKCS12_KDF_ITERATIONS, "PKCS#12's key derivation"];
    if (spent[kind] > max) throw new KeyParseError(`it asks for more than ${max} iterations of ${what} in all, more than this helper allows${advice}`);
  };
  pbe.getCipherForPBES2 = (oid, params, password) => original(oid, params, password === null ? null : forge.util.encodeUtf8(password));
  pbe.generatePkcs12Key = (password, salt, id, iterations, n, md) => {
    // A legacy cipher's (GnuTLS's certtool derives 600,000 iterations a part): an AES part's PBKDF2 is Node's.
    refuse(iterations, 'pkcs12', '; export it again with AES, the default of openssl pkcs12 -export and certtool --to-p12');
    return originalKdf(password, salt, id, iterations, n, md);
  };
  pkcs12.generateKey = (password, salt, id, iterations, n, md) => {
    refuse(iterations, 'pkcs12');
    return originalMacKdf(password, salt, id, iterations, n, md);
  };
  pkcs5.pbkdf2 = (password, salt, iterations, keyLength, md) => {
    refuse(iterations, 'pbkdf2');
    // (A null password is node-forge's empty one of no bytes.)
    const digest = typeof md === 'string' ? md : (md?.algorithm ?? 'sha1');
    if (!NATIVE_PRFS.has(digest)) return originalPbkdf2(password, salt, iterations, keyLength, md);
    return pbkdf2Sync(Buffer.from(password ?? '', 'binary'), Buffer.from(salt, 'binary'), iterations, keyLength, digest).toString('binary');
  };
  try {
    return read();
  } finally {
    pbe.getCipherForPBES2 = original;
    pkcs5.pbkdf2 = originalPbkdf2;
    pbe.generatePkcs12Key = originalKdf;
    pkcs12.generateKey = originalMacKdf;
  }
}

function toBuffer(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
