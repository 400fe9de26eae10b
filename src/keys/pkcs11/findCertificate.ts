import pkcs11js from 'pkcs11js';
import { HelperError, reasonOf } from '../../errors.js';
import { CertificateParseError, parseCertificate, type Certificate } from '../certificate.js';
import { goDistinguishedName } from '../distinguishedName.js';
import { findObjects, objectTemplate, readAttribute } from './findObjects.js';
import { NoPinError, type Pins } from './pin.js';
import type { SessionPool, TokenSession } from './pkcs11Session.js';
import { describeToken, describeTokens, labelsRepeat, tokenChoice, tokensMatching, type PresentTokens, type Token } from './slots.js';
import { formatId, formatPkcs11Uri, uriName, type Pkcs11Uri } from './uri.js';

/** A certificate object on a token. */
export interface TokenCertificate {
  readonly token: Token;
  readonly id: Buffer | undefined;
  readonly label: Buffer | undefined;
  readonly certificate: Certificate;
}

/**
 * The X.509 certificate objects of a session's token that match the URI's `object` and `id`. One whose value
 * is not a certificate is an error, or with `unparsable: 'skip'` (looking through all of them) left out.
 */
export function certificatesOn(
  session: TokenSession,
  uri: Pick<Pkcs11Uri, 'object' | 'id'>,
  unparsable: 'error' | 'skip' = 'error',
): TokenCertificate[] {
  const { api, handle, token } = session;
  const template = objectTemplate(uri, pkcs11js.CKO_CERTIFICATE);
  template.push({ type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 });
  const found: TokenCertificate[] = [];
  for (const object of findObjects(api, handle, template)) {
    const id = readAttribute(api, handle, object, pkcs11js.CKA_ID);
    const label = readAttribute(api, handle, object, pkcs11js.CKA_LABEL);
    const der = readAttribute(api, handle, object, pkcs11js.CKA_VALUE);
    try {
      if (!der) throw new CertificateParseError('it has no CKA_VALUE');
      found.push({ token, id, label, certificate: withReadableNames(parseCertificate(der)) });
    } catch (error) {
      if (!(error instanceof CertificateParseError)) throw error;
      const where = formatPkcs11Uri({ serial: token.serial, token: token.label, id, object: label, type: 'cert' });
      if (unparsable === 'error') throw new HelperError(`error parsing certificate ${where}: ${error.message}`);
      session.logger.debug(`skipping ${where}: ${error.message}`);
    }
  }
  return found.sort(byIdAndLabel);
}

/**
 * The certificate, its subject and issuer read in full, as Go's x509 reads them, and as listings and
 * messages print them (parseCertificate takes a Name's outline only): one that does not read is a
 * certificate that does not parse (fuzzing QA: an internal error in the listing).
 */
function withReadableNames(certificate: Certificate): Certificate {
  try {
    goDistinguishedName(certificate.subject);
    goDistinguishedName(certificate.issuer);
  } catch (error) {
    throw new CertificateParseError(`malformed Name (${reasonOf(error)})`);
  }
  return certificate;
}

/** Tokens return objects in no particular order: sort them, so that listings and messages are stable. */
export function byIdAndLabel(a: { id?: Buffer | undefined; label?: Buffer | undefined }, b: typeof a): number {
  const none = Buffer.alloc(0);
  return Buffer.compare(a.id ?? none, b.id ?? none) || Buffer.compare(a.label ?? none, b.label ?? none);
}

export interface CertificateSearch {
  readonly matchingTokens: readonly Token[];
  readonly certificates: readonly TokenCertificate[];
}

/**
 * The certificates the URI matches, found as draft-woodhouse-cert-best-practice §8.1 says: first in every
 * matching token without logging in; if none, and exactly one token matches, after logging in to it
 * (`logIn` says whether it did). With `logInFirst` (a listing given a PIN), a single matching token is
 * logged in to before the search, so that certificates hidden until login are found beside the others.
 */
export async function searchCertificates(
  uri: Pkcs11Uri,
  tokens: readonly Token[],
  sessions: SessionPool,
  logIn: (session: TokenSession) => Promise<boolean>,
  { logInFirst = false } = {},
): Promise<CertificateSearch> {
  const matchingTokens = tokensMatching(tokens, uri);
  if (logInFirst && matchingTokens.length === 1) await logIn(sessions.on(matchingTokens[0]!));
  let certificates = matchingTokens.flatMap((token) => certificatesOn(sessions.on(token), uri));
  if (certificates.length === 0 && matchingTokens.length === 1 && !logInFirst) {
    const session = sessions.on(matchingTokens[0]!);
    if (await logIn(session)) certificates = certificatesOn(session, uri);
  }
  return { matchingTokens, certificates };
}

/** The one certificate a `--certificate pkcs11:` URI names, or an error that says what was searched. */
export async function findCertificate(
  uri: Pkcs11Uri,
  tokens: PresentTokens,
  sessions: SessionPool,
  pins: Pins,
  modulePath: string,
  where = uriName(uri),
): Promise<TokenCertificate> {
  let loginFailure: NoPinError | undefined;
  const { matchingTokens, certificates } = await searchCertificates(uri, tokens, sessions, async (session) => {
    try {
      await session.logIn(pins, where);
      return true;
    } catch (error) {
      if (!(error instanceof NoPinError)) throw error;
      loginFailure = error;
      return false;
    }
  });
  if (matchingTokens.length === 0) throw noMatchingSlots(where, tokens, modulePath);
  if (certificates.length === 0) {
    if (matchingTokens.length > 1) {
      throw new HelperError(
        `multiple matching slots: ${where} matches tokens ${describeTokens(matchingTokens)}, none of which shows a ` +
          `certificate${describeObjectSearch(uri)} without logging in; add ${tokenChoice(matchingTokens)} to say which one to log in to`,
      );
    }
    const token = describeToken(matchingTokens[0]!);
    throw new HelperError(
      loginFailure
        ? `no matching certificates: ${where}: ${token} shows no certificate${describeObjectSearch(uri)} ` +
            `without logging in, and there is no PIN to log in with (${reasonOf(loginFailure)})`
        : `no matching certificates: ${where}: ${token} has no certificate${describeObjectSearch(uri)}`,
    );
  }
  if (certificates.length > 1) {
    // On several tokens the token is what chooses: by its label, or by its serial number where labels repeat.
    const onTokens = [...new Set(certificates.map((found) => found.token))];
    const bySerial = labelsRepeat(onTokens);
    const hint = onTokens.length === 1 ? howToChooseOne(uri) : `add ${tokenChoice(onTokens)} to choose one`;
    throw new HelperError(
      `multiple matching certificates: ${where} matches ${certificates.length} certificates ` +
        `(${certificates.map((found) => describeCertificateObject(found, bySerial)).join(', ')}); ${hint}`,
    );
  }
  return certificates[0]!;
}

export function noMatchingSlots(where: string, tokens: PresentTokens, modulePath: string): HelperError {
  return new HelperError(`no matching slots: ${where} matches none of the tokens of ${modulePath} (${describeTokens(tokens)})`);
}

/** What an object search looked for, e.g. ` with CKA_LABEL "rsa" and CKA_ID %01`; nothing when it took any object. */
export function describeObjectSearch(uri: Pick<Pkcs11Uri, 'object' | 'id'>): string {
  const terms: string[] = [];
  if (uri.object !== undefined) terms.push(`CKA_LABEL "${uri.object.toString('utf8')}"`);
  if (uri.id !== undefined) terms.push(`CKA_ID ${formatId(uri.id) || '(empty)'}`);
  return terms.length > 0 ? ` with ${terms.join(' and ')}` : '';
}

/** What a URI that matched several objects can add to choose one: the attributes it lacks of object= and id=. */
export function howToChooseOne(uri: Pick<Pkcs11Uri, 'object' | 'id'>): string {
  const missing = [uri.object === undefined && 'object=', uri.id === undefined && 'id='].filter(Boolean);
  return missing.length > 0 ? `add ${missing.join(' or ')} to choose one` : 'they share their label and id: give each its own CKA_ID';
}

function describeCertificateObject(found: TokenCertificate, withSerial = false): string {
  const label = found.label ? `"${found.label.toString('utf8')}"` : 'no label';
  const serial = withSerial ? ` (serial ${found.token.serial})` : '';
  return `${label} id ${found.id?.length ? formatId(found.id) : 'none'} on token "${found.token.label}"${serial}`;
}
