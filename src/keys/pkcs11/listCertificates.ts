import { createHash } from 'node:crypto';
import type { Context } from '../../context.js';
import type { CertificateAndChain } from '../keySource.js';
import { chainFromToken } from './chainFromToken.js';
import { goDistinguishedName } from '../distinguishedName.js';
import { noMatchingSlots, searchCertificates, type TokenCertificate } from './findCertificate.js';
import { loadModule } from './module.js';
import { moduleLocation } from './moduleLocation.js';
import { Pins } from './pin.js';
import { SessionPool } from './pkcs11Session.js';
import { checkLibrary, presentTokens, tokenIdentity } from './slots.js';
import { checkObjectType, formatPkcs11Uri, parsePkcs11Uri, uriName } from './uri.js';

/**
 * `read-certificate-data --certificate pkcs11:...`: every certificate the URI matches, in the reference's
 * listing format, each with a URI that names it alone (its own token's model, manufacturer, serial and
 * label, its id and label, type=cert). When a PIN is given (pin-value, pin-source or the environment) and
 * one token matches, it logs in first, and certificates hidden until login are listed too; there is no prompt.
 */
export async function listPkcs11Certificates(options: { uri: string; pkcs11Lib?: string | undefined }, context: Context): Promise<string> {
  return tokenCertificates(options, context, { logIn: true }, formatListing);
}

/**
 * The one certificate a pkcs11: URI names, as seen without logging in (certificates are public objects);
 * undefined when it names none or several. For `check`, whose key source refused the key (a wrong PIN, an
 * always-authenticate key without --reuse-pin): the certificate still deserves checking.
 */
export async function readPkcs11Certificate(
  options: { uri: string; pkcs11Lib?: string | undefined },
  context: Context,
): Promise<CertificateAndChain | undefined> {
  return tokenCertificates(options, context, { logIn: false }, (certificates, sessions) => {
    const [found] = certificates;
    // With the chain the token holds, as its key source would send it (QA: check then said to give --intermediates).
    return certificates.length === 1 ? { certificate: found!.certificate, chain: chainFromToken(sessions.on(found!.token), found!.certificate) } : undefined;
  });
}

/** The certificates a URI matches, on every token it matches; `logIn`: first with the PIN given, if any. */
async function tokenCertificates<T>(
  options: { uri: string; pkcs11Lib?: string | undefined },
  { logger, env }: Context,
  { logIn }: { readonly logIn: boolean },
  use: (certificates: readonly TokenCertificate[], sessions: SessionPool) => T,
): Promise<T> {
  const uri = parsePkcs11Uri(options.uri);
  checkObjectType(uri, 'cert', 'certificate');
  const module = loadModule(moduleLocation(options.pkcs11Lib, [uri], env), logger);
  const sessions = new SessionPool(module, logger);
  try {
    checkLibrary(module.api, uri, module.path);
    const tokens = presentTokens(module.api, module.path, logger);
    const pins = new Pins({ uris: [uri], interactive: false, reusePin: false, env });
    // Given a PIN, it logs in before it searches (a wrong PIN fails the listing), so that the certificates
    // hidden until login are listed beside the others; without one, it lists what it sees.
    const pin = logIn ? pins.userPin() : undefined;
    const { matchingTokens, certificates } = await searchCertificates(
      uri,
      tokens,
      sessions,
      async (session) => {
        if (!pin) return false;
        await session.logIn(pins, uriName(uri));
        return true;
      },
      { logInFirst: pin !== undefined },
    );
    if (matchingTokens.length === 0) throw noMatchingSlots(uriName(uri), tokens, module.path);
    return use(certificates, sessions);
  } finally {
    sessions.closeAllExcept();
    module.release();
  }
}

function formatListing(certificates: readonly TokenCertificate[]): string {
  if (certificates.length === 0) return 'No matching identities\n';
  const entries = certificates.map(({ certificate, token, id, label }, index) => {
    const uri = formatPkcs11Uri({ ...tokenIdentity(token), id: id?.length ? id : undefined, object: label, type: 'cert' });
    return (
      `${index + 1}) Hex Fingerprint: ${createHash('sha1').update(certificate.der).digest('hex')}\n` +
      `Subject: ${goDistinguishedName(certificate.subject)}\n` +
      `Issuer: ${goDistinguishedName(certificate.issuer)}\n` +
      `Serial Number: ${certificate.serialNumber.toString(16).toUpperCase()}\n` +
      `URI: ${uri}\n\n`
    );
  });
  return `Matching identities\n${entries.join('')}`;
}
