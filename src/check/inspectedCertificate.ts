import { children, contextTag, decodeOid, decodeSmallInteger, readRoot, sequence } from '../asn1/der.js';
import { HelperError, reasonOf } from '../errors.js';
import * as x509 from '../peculiarX509.js';
import { certificateSignedBy } from '../rolesAnywhereRules/certificateSignature.js';

/**
 * A certificate as `check` reads it: extensions, names and dates from @peculiar/x509, the two fields it
 * does not expose (the version and the signature algorithm's OID) from the DER, and signatures verified as
 * the emulator verifies them (certificateSignedBy).
 */
export interface InspectedCertificate {
  readonly der: Buffer;
  readonly parsed: x509.X509Certificate;
  /** 1, 2 or 3. */
  readonly version: number;
  readonly signatureAlgorithmOid: string;
  /** The subject, as messages name the certificate. */
  readonly name: string;
  /** Whether `issuer`'s key verifies this certificate's signature; undefined when nothing here can tell. */
  signedBy(issuer: InspectedCertificate): boolean | undefined;
  readonly basicConstraints: x509.BasicConstraintsExtension | null;
  /** undefined without a keyUsage extension. */
  readonly keyUsage: x509.KeyUsageFlags | undefined;
}

/**
 * Throws a HelperError saying why a certificate that the helper's own reader took (its outline) does not
 * parse in full: a damaged extension, say, which @peculiar/x509 reads when first asked for (fuzzing QA:
 * an internal error). Callers name the certificate.
 */
export function inspectCertificate(der: Buffer): InspectedCertificate {
  let parsed: x509.X509Certificate;
  let version: number;
  let signatureAlgorithmOid: string;
  try {
    parsed = new x509.X509Certificate(new Uint8Array(der));
    void parsed.extensions;
    void parsed.publicKey; // read when asked for, as the extensions are: a damaged one (fuzzing QA)
    const [tbs, algorithm] = sequence(readRoot(der), 'Certificate');
    const [first] = sequence(tbs, 'TBSCertificate');
    // An EXPLICIT [0] INTEGER holding the version minus one; absent means v1 (a negative one: damaged, fuzzing QA).
    version = first?.tag === contextTag(0, true) ? decodeSmallInteger(children(first)[0]!) + 1 : 1;
    signatureAlgorithmOid = decodeOid(sequence(algorithm, 'AlgorithmIdentifier')[0]!);
  } catch (error) {
    throw new HelperError(`its DER is damaged (${reasonOf(error)})`);
  }
  // Each issuer's verdict once: the chain's path search asks it, and its finding asks again of the path found.
  const verdicts = new Map<InspectedCertificate, boolean | undefined>();
  return {
    der,
    parsed,
    version,
    signatureAlgorithmOid,
    name: parsed.subject || '(empty subject)',
    signedBy: (issuer) => {
      if (!verdicts.has(issuer)) verdicts.set(issuer, certificateSignedBy(der, issuer.der));
      return verdicts.get(issuer);
    },
    basicConstraints: parsed.getExtension(x509.BasicConstraintsExtension),
    keyUsage: parsed.getExtension(x509.KeyUsagesExtension)?.usages,
  };
}
