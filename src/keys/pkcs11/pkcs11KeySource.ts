import type { Context } from '../../context.js';
import { HelperError, reasonOf } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { Certificate } from '../certificate.js';
import { readCertificate, readIntermediates } from '../file/certificateFile.js';
import { inputName } from '../input.js';
import { reloadOnChange } from '../reloadOnChange.js';
import { samePublicKey } from '../keyMatch.js';
import type { Digest, KeySource, KeySourceOptions, SigningIdentity } from '../keySource.js';
import { chainFromToken } from './chainFromToken.js';
import { findCertificate } from './findCertificate.js';
import { findPrivateKey } from './findPrivateKey.js';
import { loadModule, type Pkcs11Module } from './module.js';
import { moduleLocation } from './moduleLocation.js';
import { describePkcs11Error, isDeviceLost, isSessionLost } from './pkcs11Errors.js';
import { Pins } from './pin.js';
import { SessionPool } from './pkcs11Session.js';
import { checkLibrary, presentTokens, tokenIdentity, type Token } from './slots.js';
import { signWithTokenKey, type TokenKey } from './tokenSigner.js';
import { checkObjectType, isPkcs11Uri, parsePkcs11Uri, uriName, type Pkcs11Uri } from './uri.js';
import { option } from '../../optionNames.js';
import { serialQueue } from '../../serialQueue.js';

/** What to look for: the URIs as given at first, narrowed to the objects found once they have been found. */
interface Search {
  readonly certificateUri: Pkcs11Uri | undefined;
  readonly keyUri: Pkcs11Uri | undefined;
}

/** How messages name the certificate and key searches: the URIs as the user gave them. */
interface SearchNames {
  readonly certificate: string | undefined;
  readonly key: string;
}

/** What the certificate and intermediates files hold (none given: undefined), read again when they change. */
interface Files {
  readonly certificate: Certificate | undefined;
  readonly intermediates: Certificate[] | undefined;
}

/** The certificate and the key, with the open, logged-in session (`key.session`) they were found in. */
interface Located {
  readonly key: TokenKey;
  readonly identity: SigningIdentity;
  readonly narrowed: Search;
}

/**
 * A key (and perhaps its certificate and chain) on a PKCS#11 token. The module stays loaded and one session
 * stays open and logged in for the life of the source, so `serve` and `update` sign without enumerating
 * slots or logging in again; when the session goes away (token removed and put back, session closed, logged
 * out) the token and objects are found again with the PIN that worked, and the signature is retried once.
 */
export async function openPkcs11KeySource(options: KeySourceOptions, { logger, env }: Context): Promise<KeySource> {
  const certificateUri = isPkcs11Uri(options.certificate) ? parsePkcs11Uri(options.certificate!) : undefined;
  const keyUri = isPkcs11Uri(options.privateKey) ? parsePkcs11Uri(options.privateKey!) : undefined;
  if (certificateUri && options.privateKey && !keyUri) {
    throw new HelperError(
      `the certificate ${uriName(certificateUri)} is on a PKCS#11 token, so its key must be too: ` +
        `give ${option('privateKey')} as a pkcs11: URI or leave it out, not ${inputName(options.privateKey)}`,
    );
  }
  checkObjectType(certificateUri, 'cert', 'certificate');
  checkObjectType(keyUri, 'private', 'privateKey');
  const certificateFile = certificateUri ? undefined : options.certificate || undefined;
  const files = reloadOnChange(
    [certificateFile, options.intermediates],
    // An empty bundle is none: the chain is then the token's, as without --intermediates.
    async (): Promise<Files> => ({ certificate: certificateFile ? readCertificate(certificateFile) : undefined, intermediates: readIntermediates(options.intermediates) }),
    logger,
    'certificate or intermediates file changed on disk; reading it again',
  );
  await files();
  const uris = [keyUri, certificateUri].filter((uri): uri is Pkcs11Uri => uri !== undefined);
  const module = loadModule(moduleLocation(options.pkcs11Lib, uris, env), logger);
  // Messages name each URI as given, without its PIN.
  const certificateName = certificateUri && uriName(certificateUri);
  const source = new Pkcs11KeySource(
    module,
    { certificateUri, keyUri },
    { certificate: certificateName, key: keyUri ? uriName(keyUri) : certificateName! },
    files,
    new Pins({ uris, interactive: options.interactive ?? false, reusePin: options.reusePin ?? false, env }),
    certificateFile ? inputName(certificateFile) : (certificateName ?? uriName(keyUri!)),
    logger,
  );
  try {
    await source.current();
  } catch (error) {
    await source.close();
    throw error;
  }
  return source;
}

/** How often at most the token is searched again for a certificate renewed there, while the one held has expired. */
const LOOK_AGAIN_MS = 60_000;

class Pkcs11KeySource implements KeySource {
  readonly #given: Search;
  #search: Search;
  #located: Located | undefined;
  /** The files the located identity was made with. */
  #files: Files | undefined;
  /** When the token was last searched again for a renewed certificate (see current()). */
  #lookedAgainAt = 0;
  /** Whether the objects were found once: a module that worked before may need initialising anew (#locateAgain). */
  #foundBefore = false;
  #closed = false;
  /** Token operations one at a time: a prompt for a PIN must not let another signature into the session. */
  readonly #exclusive = serialQueue();

  constructor(
    private readonly module: Pkcs11Module,
    search: Search,
    private readonly names: SearchNames,
    private readonly files: () => Promise<Files>,
    private readonly pins: Pins,
    readonly description: string,
    private readonly logger: Logger,
  ) {
    this.#given = search;
    this.#search = search;
  }

  /**
   * A renewed certificate is taken without a restart (QA: serve sent the first one until it expired, then
   * failed until restarted): certificate and intermediates files read again when they change, the token's
   * objects found again, from the search as given, once the token's certificate held has expired: at most
   * once a minute, each search a login (review: one a second per role, while serve's clients asked).
   */
  current(): Promise<SigningIdentity> {
    return this.#exclusive(async () => {
      const files = await this.files();
      const held = this.#given.certificateUri && this.#located?.identity.certificate;
      const now = Date.now();
      // A clock set back since the last look is no sign that the token was searched lately (QA time: a day ahead, put right, held it off a day).
      const since = now - this.#lookedAgainAt;
      const lookAgain = held && held.notAfter.getTime() <= now && (since >= LOOK_AGAIN_MS || since < 0);
      if (lookAgain) {
        this.logger.debug(`the certificate ${this.names.certificate} has expired; looking for a renewed one on the token`);
        this.#lookedAgainAt = now;
      }
      if (files !== this.#files || lookAgain) {
        this.#drop();
        this.#search = this.#given;
        this.#files = files;
      }
      return (await this.#usable()).identity;
    });
  }

  close(): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#closed) return;
      this.#drop();
      this.module.release();
      this.#closed = true;
    });
  }

  /**
   * Signs with the key found last, without asking the token first whether the session still works: if it
   * does not, the token and key are found again and the signature is made once more, provided the key found
   * is still the one whose identity (certificate) the caller holds.
   */
  #sign(identity: SigningIdentity, data: Buffer, digest: Digest): Promise<Buffer> {
    return this.#exclusive(async () => {
      const located = sameKey(this.#located ?? (await this.#usable()), identity);
      try {
        return await signWithTokenKey(located.key, data, digest, this.pins);
      } catch (error) {
        // A failed signature may leave an operation active in the session: start the next one afresh.
        this.#drop();
        if (!isSessionLost(error) && !isDeviceLost(error)) throw error;
        this.logger.debug(`signing with ${located.key.description} failed (${describePkcs11Error(error)}); finding the token and key again`);
        return signWithTokenKey(sameKey(await this.#usable(), identity).key, data, digest, this.pins);
      }
    });
  }

  /** The located objects, found (again) if there are none yet or their session no longer works. */
  async #usable(): Promise<Located> {
    if (this.#closed) throw new HelperError(`the PKCS#11 key source ${this.description} is closed`);
    if (this.#located?.key.session.isAlive()) return this.#located;
    if (this.#located) {
      this.logger.debug(`the session with ${this.#located.key.description} no longer works; finding the token and key again`);
      this.#drop();
    }
    this.#located = await this.#locateAgain();
    this.#search = this.#located.narrowed;
    this.#foundBefore = true;
    return this.#located;
  }

  /**
   * Finds the objects; once they were found before, a failure is tried once more with the module initialised
   * anew: what broke may be the module's link to the token, which some modules never mend (see reinitialize).
   * If that fails too, the first failure is the one said (a wrong PIN, say), unless the module cannot be initialised.
   */
  async #locateAgain(): Promise<Located> {
    try {
      return await this.#locate();
    } catch (error) {
      if (!this.#foundBefore || !this.module.reinitialize()) throw error;
      this.logger.debug(`finding the token and key again failed (${reasonOf(error)}); initialized the module again`);
      try {
        return await this.#locate();
      } catch (again) {
        this.logger.debug(`finding them with the module initialised again failed too (${reasonOf(again)})`);
        throw error;
      }
    }
  }

  async #locate(): Promise<Located> {
    const { api, path: modulePath } = this.module;
    const { certificateUri, keyUri } = this.#search;
    for (const uri of [certificateUri, keyUri]) if (uri) checkLibrary(api, uri, modulePath);
    const tokens = presentTokens(api, modulePath, this.logger);
    const sessions = new SessionPool(this.module, this.logger);
    try {
      let certificate: { certificate: Certificate; token?: Token; id?: Buffer } | undefined;
      let narrowedCertificateUri: Pkcs11Uri | undefined;
      if (certificateUri) {
        const found = await findCertificate(certificateUri, tokens, sessions, this.pins, modulePath, this.names.certificate);
        certificate = { certificate: found.certificate, token: found.token, id: found.id };
        narrowedCertificateUri = { ...tokenIdentity(found.token), id: found.id, object: found.label };
      } else if (this.#files?.certificate) {
        certificate = { certificate: this.#files.certificate };
      }
      if (certificate) checkKeyType(certificate.certificate, this.description);

      const { key, publicKey } = await findPrivateKey({
        keyUri: keyUri ?? narrowedCertificateUri!,
        description: this.names.key,
        derivedFromCertificate: keyUri === undefined,
        certificate,
        tokens,
        sessions,
        pins: this.pins,
        modulePath,
      });
      const chainSession = certificate?.token ? sessions.on(certificate.token) : key.session;
      const chain = this.#files?.intermediates ?? (certificate ? chainFromToken(chainSession, certificate.certificate) : []);
      sessions.closeAllExcept(key.session);
      this.logger.debug(`using ${key.description}${key.alwaysAuthenticate ? ' (CKA_ALWAYS_AUTHENTICATE)' : ''}`);
      const identity: SigningIdentity = {
        certificate: certificate?.certificate,
        chain,
        publicKey,
        sign: (data, digest) => this.#sign(identity, data, digest),
      };
      return {
        key,
        identity,
        narrowed: {
          certificateUri: narrowedCertificateUri,
          keyUri: { ...tokenIdentity(key.session.token), id: key.id, object: key.label },
        },
      };
    } catch (error) {
      sessions.closeAllExcept();
      throw error;
    }
  }

  #drop(): void {
    this.#located?.key.session.close();
    this.#located = undefined;
  }
}

/** The located key, if it is still the key of `identity` (a key replaced on the token is not). */
function sameKey(located: Located, identity: SigningIdentity): Located {
  if (located.identity === identity || samePublicKey(located.identity.publicKey, identity.publicKey)) return located;
  throw new HelperError(
    `the private key ${located.key.description} was replaced on the token after its certificate was read; ` +
      'read the certificate again (the next refresh does)',
  );
}

function checkKeyType(certificate: Certificate, description: string): void {
  const { keyType, algorithmOid } = certificate.publicKey;
  if (keyType !== 'RSA' && keyType !== 'EC') {
    throw new HelperError(
      `unsupported algorithm: certificate ${description} has a ${keyType ?? algorithmOid} key; PKCS#11 keys must be RSA or EC`,
    );
  }
}
