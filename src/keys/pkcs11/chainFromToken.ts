import { X509Certificate } from 'node:crypto';
import { debugLazily } from '../../log/logger.js';
import type { Certificate } from '../certificate.js';
import { goDistinguishedName } from '../distinguishedName.js';
import { certificatesOn } from './findCertificate.js';
import type { TokenSession } from './pkcs11Session.js';

/** Deeper chains than this are not real PKIs; the limit also ends any loop of cross-signed certificates. */
const MAX_INTERMEDIATES = 8;

/**
 * The chain to send for a leaf, from the certificates on its token: its issuer (the certificate whose
 * subject is the leaf's issuer name and whose key verifies the leaf's signature), that one's issuer, and so
 * on, up to but not including a self-signed root (the trust anchor is the service's business). Other
 * certificates on the token, and objects that are not certificates at all, are left out: the reference's
 * inverted test sent exactly those (its issue #174).
 */
export function chainFromToken(session: TokenSession, leaf: Certificate): Certificate[] {
  const candidates = certificatesOn(session, {}, 'skip')
    .map((found) => found.certificate)
    .filter((certificate) => !certificate.der.equals(leaf.der))
    .map((certificate) => ({ certificate, x509: toX509(certificate) }))
    .filter((candidate): candidate is { certificate: Certificate; x509: X509Certificate } => candidate.x509 !== undefined);
  const chain: Certificate[] = [];
  let current = toX509(leaf);
  while (current && chain.length < MAX_INTERMEDIATES) {
    const subject = current;
    const issuer = candidates.find(({ certificate, x509 }) => !chain.includes(certificate) && issued(x509, subject));
    if (!issuer || issued(issuer.x509, issuer.x509)) break;
    chain.push(issuer.certificate);
    current = issuer.x509;
  }
  debugLazily(session.logger, () =>
    chain.length === 0
      ? 'no issuer of the certificate on the token: sending no chain'
      : `chain from the token: ${chain.map((c) => `"${goDistinguishedName(c.subject)}"`).join(', ')}`,
  );
  return chain;
}

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

/** node:crypto's view of a certificate, for the issuer checks; undefined if OpenSSL cannot read it. */
function toX509(certificate: Certificate): X509Certificate | undefined {
  try {
    return new X509Certificate(certificate.der);
  } catch {
    return undefined;
  }
}
