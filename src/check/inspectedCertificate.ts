import { DerError, decodeInteger, readRoot, sequence } from '../asn1/der.js';
import { parsePublicKeyInfo } from '../keys/certificate.js';
import { HelperError, reasonOf } from '../errors.js';
import { certificateSignedBy } from '../rolesAnywhereRules/certificateSignature.js';
import { parseX509Certificate, type X509Certificate } from '../x509/x509Certificate.js';
import type { BasicConstraints } from '../x509/extensions.js';

/**
 * A certificate as `check` reads it (parseX509Certificate, as the emulator reads it), and signatures
 * verified as the emulator verifies them (certificateSignedBy).
 */
export interface InspectedCertificate {
  readonly der: Buffer;
  readonly parsed: X509Certificate;
  /** 1, 2 or 3. */
  readonly version: number;
  readonly signatureAlgorithmOid: string;
  /** The subject, as messages name the certificate. */
  readonly name: string;
  /** Whether `issuer`'s key verifies this certificate's signature; undefined when nothing here can tell. */
  signedBy(issuer: InspectedCertificate): boolean | undefined;
  readonly basicConstraints: BasicConstraints | undefined;
  /** undefined without a keyUsage extension. */
  readonly keyUsage: number | undefined;
}

/**
 * Throws a HelperError saying why a certificate that the helper's own reader took (its outline) does not
 * parse in full: a damaged extension or public key, say (fuzzing QA: an internal error). Callers name the
 * certificate.
 */
export function inspectCertificate(der: Buffer): InspectedCertificate {
  let parsed: X509Certificate;
  try {
    parsed = parseX509Certificate(der);
    // An RSA key's modulus and exponent, which a verifier reads (fuzzing QA: one whose exponent was damaged).
    const key = parsePublicKeyInfo(parsed.publicKey);
    if (key.keyType === 'RSA') {
      const integers = sequence(readRoot(key.keyBits), 'RSAPublicKey');
      if (integers.length !== 2) throw new DerError('malformed RSAPublicKey');
      integers.forEach(decodeInteger);
    }
  } catch (error) {
    throw new HelperError(`its DER is damaged (${reasonOf(error)})`);
  }
  // Each issuer's verdict once: the chain's path search asks it, and its finding asks again of the path found.
  const verdicts = new Map<InspectedCertificate, boolean | undefined>();
  return {
    der,
    parsed,
    version: parsed.version,
    signatureAlgorithmOid: parsed.signatureAlgorithmOid,
    name: parsed.subject || '(empty subject)',
    signedBy: (issuer) => {
      if (!verdicts.has(issuer)) verdicts.set(issuer, certificateSignedBy(der, issuer.der));
      return verdicts.get(issuer);
    },
    basicConstraints: parsed.basicConstraints,
    keyUsage: parsed.keyUsage,
  };
}
