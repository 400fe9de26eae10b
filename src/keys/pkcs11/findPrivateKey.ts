import { randomBytes, verify } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { HelperError } from '../../errors.js';
import type { Certificate, PublicKeyInfo } from '../certificate.js';
import { goDistinguishedName } from '../distinguishedName.js';
import { samePublicKey } from '../keyMatch.js';
import { byIdAndLabel, describeObjectSearch, howToChooseOne, noMatchingSlots } from './findCertificate.js';
import { findObjects, objectTemplate, readAttribute, readNumber } from './findObjects.js';
import { isSessionLost } from './pkcs11Errors.js';
import type { Pins } from './pin.js';
import type { SessionPool, TokenSession } from './pkcs11Session.js';
import { describeToken, describeTokens, tokenChoice, tokenIdentity, tokensMatching, type PresentTokens, type Token } from './slots.js';
import { publicKeyOfObject, publicKeysWithId, type TokenKeyType } from './tokenPublicKey.js';
import { TokenSigningError, signWithTokenKey, type TokenKey } from './tokenSigner.js';
import { formatPkcs11Uri, type Pkcs11Uri } from './uri.js';
import { option } from '../../optionNames.js';

export interface PrivateKeySearch {
  readonly keyUri: Pkcs11Uri;
  /** How messages name what is searched: the URI the user gave (--private-key, else --certificate). */
  readonly description: string;
  /** The key URI was made from the certificate's (no --private-key): the search may then drop its label. */
  readonly derivedFromCertificate: boolean;
  /** The certificate the key must belong to, with the token and CKA_ID it was found under (if on a token). */
  readonly certificate: { readonly certificate: Certificate; readonly token?: Token; readonly id?: Buffer } | undefined;
  readonly tokens: PresentTokens;
  readonly sessions: SessionPool;
  readonly pins: Pins;
  readonly modulePath: string;
}

export interface FoundKey {
  readonly key: TokenKey;
  readonly publicKey: PublicKeyInfo;
}

/**
 * Finds the private key as draft-woodhouse-cert-best-practice §8.2 says: in the one token the key URI
 * matches (or the certificate's token, among several), logged in, the keys with the URI's label and id; with
 * a certificate, the first of the right type that is its key (same public key, or a test signature that the
 * certificate's key verifies); without one, the only key there is.
 */
export async function findPrivateKey(search: PrivateKeySearch): Promise<FoundKey> {
  const { keyUri, certificate, pins, description: where } = search;
  const session = search.sessions.on(keyToken(search, where));
  await session.logIn(pins, where);
  const candidates = privateKeysOn(session, keyUri);

  if (!certificate) {
    if (candidates.length === 0) {
      throw new HelperError(
        `unable to find matching private key: ${where}: ${describeToken(session.token)} has no private key${describeObjectSearch(keyUri)}`,
      );
    }
    if (candidates.length > 1) {
      throw new HelperError(
        `multiple matching private keys, but no certificate provided to match with: ${where} matches ` +
          `${candidates.map((candidate) => candidate.description).join(', ')}; ${howToChooseOne(keyUri)}`,
      );
    }
    const key = supported(candidates[0]!);
    return { key, publicKey: await publicKeyOfKeyOnly(key, pins) };
  }

  const wanted = certificate.certificate.publicKey;
  let key = await firstKeyOf(candidates, wanted, pins);
  if (!key && search.derivedFromCertificate && keyUri.object !== undefined && certificate.id !== undefined) {
    session.logger.debug(
      'unable to find private key with CKA_LABEL; repeating the search using CKA_ID of the certificate without requiring a ' +
        'CKA_LABEL match',
    );
    key = await firstKeyOf(privateKeysOn(session, { id: certificate.id }), wanted, pins);
  }
  if (!key) {
    const wantedKey = `the ${wanted.keyType} key of certificate "${goDistinguishedName(certificate.certificate.subject)}"`;
    const token = describeToken(session.token);
    const search = describeObjectSearch(keyUri);
    const found = candidates.map((candidate) => `${candidate.description} (${candidate.keyTypeName})`).join(', ');
    throw new HelperError(
      candidates.length === 0
        ? `unable to find matching private key: ${where}: ${token} has no private key${search} (looking for ${wantedKey})`
        : `unable to find matching private key: ${where}: ${token} has only ${found}${search}, and none is ${wantedKey}`,
    );
  }
  return { key, publicKey: wanted };
}

interface KeyCandidate extends Omit<TokenKey, 'keyType'> {
  readonly keyType: TokenKeyType | undefined;
  readonly keyTypeName: string;
}

/** The one token to look for the key in. */
function keyToken(search: PrivateKeySearch, where: string): Token {
  const matching = tokensMatching(search.tokens, search.keyUri);
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) throw noMatchingSlots(where, search.tokens, search.modulePath);
  const certificateToken = search.certificate?.token;
  const shared = certificateToken && matching.find((token) => token.slotId === certificateToken.slotId);
  if (shared) return shared;
  throw new HelperError(
    `Could not identify unique slot for PKCS#11 key: ${where} matches tokens ${describeTokens(matching)}; ` +
      `add ${tokenChoice(matching)} to choose one`,
  );
}

function privateKeysOn(session: TokenSession, uri: Pick<Pkcs11Uri, 'object' | 'id'>): KeyCandidate[] {
  const { api, handle } = session;
  const candidates: KeyCandidate[] = [];
  for (const object of findObjects(api, handle, objectTemplate(uri, pkcs11js.CKO_PRIVATE_KEY))) {
    const keyTypeCode = readNumber(readAttribute(api, handle, object, pkcs11js.CKA_KEY_TYPE));
    if (keyTypeCode === undefined) continue;
    const id = readAttribute(api, handle, object, pkcs11js.CKA_ID);
    const label = readAttribute(api, handle, object, pkcs11js.CKA_LABEL);
    const keyType = keyTypeCode === pkcs11js.CKK_RSA ? 'RSA' : keyTypeCode === pkcs11js.CKK_EC ? 'EC' : undefined;
    candidates.push({
      session,
      handle: object,
      keyType,
      keyTypeName: keyType ?? `key type 0x${keyTypeCode.toString(16)}`,
      alwaysAuthenticate: readNumber(readAttribute(api, handle, object, pkcs11js.CKA_ALWAYS_AUTHENTICATE)) === 1,
      id,
      label,
      description: formatPkcs11Uri({ ...tokenIdentity(session.token), id, object: label, type: 'private' }),
    });
  }
  return candidates.sort(byIdAndLabel);
}

function supported(candidate: KeyCandidate): TokenKey {
  if (!candidate.keyType) {
    throw new HelperError(
      `unsupported algorithm: ${candidate.description} is a ${candidate.keyTypeName} key; only RSA and EC keys can sign`,
    );
  }
  return { ...candidate, keyType: candidate.keyType };
}

async function firstKeyOf(
  candidates: readonly KeyCandidate[],
  publicKey: PublicKeyInfo,
  pins: Pins,
): Promise<TokenKey | undefined> {
  for (const candidate of candidates) {
    if (candidate.keyType !== publicKey.keyType) continue;
    const key = supported(candidate);
    const own = publicKeyOfObject(key.session, key.handle, key.keyType);
    if (own ? samePublicKey(own, publicKey) : await testSignatureVerifies(key, publicKey, pins)) return key;
    key.session.logger.debug(`${key.description} is not the certificate's key`);
  }
  return undefined;
}

/**
 * The public key of a key found without a certificate: from its own attributes, or else the public-key
 * object or certificate with its CKA_ID whose key verifies a test signature.
 */
async function publicKeyOfKeyOnly(key: TokenKey, pins: Pins): Promise<PublicKeyInfo> {
  const own = publicKeyOfObject(key.session, key.handle, key.keyType);
  if (own) return own;
  for (const candidate of key.id?.length ? publicKeysWithId(key.session, key.id, key.keyType) : []) {
    if (await testSignatureVerifies(key, candidate, pins)) return candidate;
  }
  throw new HelperError(
    `unable to find the public key of ${key.description}: the key object does not reveal it and no public-key object ` +
      `or certificate with its CKA_ID on the token matches it; give the certificate with ${option('certificate')}`,
  );
}

const TEST_MESSAGE = 'roles-anywhere-helper PKCS#11 key check ';

/** Whether the key signs a fresh random message so that `publicKey` verifies it. */
async function testSignatureVerifies(key: TokenKey, publicKey: PublicKeyInfo, pins: Pins): Promise<boolean> {
  const message = Buffer.concat([Buffer.from(TEST_MESSAGE), randomBytes(32)]);
  let signature: Buffer;
  try {
    signature = await signWithTokenKey(key, message, 'SHA256', pins);
  } catch (error) {
    if (!(error instanceof TokenSigningError) || isSessionLost(error)) throw error;
    key.session.logger.debug(`test signature with ${key.description} failed: ${error.message}`);
    return false;
  }
  return verify('sha256', message, { key: publicKey.spki, format: 'der', type: 'spki', dsaEncoding: 'der' }, signature);
}
