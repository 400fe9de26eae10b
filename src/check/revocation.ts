import { HelperError } from '../errors.js';
import { decodePem, isPem } from '../keys/file/pem.js';
import { readInputFile } from '../keys/file/readInputFile.js';
import { option } from '../optionNames.js';
import { x509 } from '../peculiarX509.js';
import { fail, pass, skip, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { iso } from './validity.js';

/**
 * Revocation as the service applies CRLs imported with ImportCrl: each CRL's signature verified with its
 * issuer's key (a CA of the chain or of the trust anchor bundle), then every certificate of the chain that
 * CRL's issuer issued looked up in it.
 */
export async function revocationFindings(
  crlPath: string | undefined,
  chain: readonly InspectedCertificate[],
  cas: readonly InspectedCertificate[],
  now: Date,
): Promise<Finding[]> {
  if (!crlPath) return [skip('revocation', `revocation not checked: give the CRL with ${option('crl')}`)];
  const crls = readCrls(crlPath);
  const findings: Finding[] = [];
  for (const crl of crls) findings.push(await signatureFinding(crl, cas, now));
  const revoked = chain.flatMap((certificate) =>
    crls
      .filter((crl) => crl.issuer === certificate.parsed.issuer)
      .map((crl) => ({ crl, entry: crl.findRevoked(certificate.parsed.serialNumber) }))
      .filter(({ entry }) => entry !== null)
      .map(({ crl, entry }) =>
        fail(
          'revocation',
          `${certificate.name} (serial ${certificate.parsed.serialNumber}) was revoked on ${iso(entry!.revocationDate)} by the CRL of ${crl.issuer}`,
        ),
      ),
  );
  if (revoked.length > 0) return [...findings, ...revoked];
  if (!chain.some((certificate) => crls.some((crl) => crl.issuer === certificate.parsed.issuer))) {
    const issuers = [...new Set(crls.map((crl) => crl.issuer))].join('; ');
    return [...findings, warn('revocation', `revocation not checked: ${crlPath} is from ${issuers}, which issued none of the chain's certificates`)];
  }
  return [...findings, pass('revocation', `not revoked: ${crlPath} lists none of the chain's certificates`)];
}

/** Whether the CRL is its issuer's own: signed by the key of a CA of that name, and current. */
async function signatureFinding(crl: x509.X509Crl, cas: readonly InspectedCertificate[], now: Date): Promise<Finding> {
  const candidates = cas.filter((ca) => ca.parsed.subject === crl.issuer);
  const what = `CRL of ${crl.issuer}`;
  if (candidates.length === 0) {
    return warn('crl', `${what}: its signature was not verified, as no CA of that name is in the chain or the trust anchor bundle`);
  }
  for (const ca of candidates) {
    if (await crl.verify({ publicKey: ca.parsed.publicKey }).catch(() => false)) {
      const next = crl.nextUpdate;
      if (next && next < now) return warn('crl', `${what}: signature verified, but its next update was due on ${iso(next)}`);
      return pass('crl', `${what}: signature verified${next ? `, next update ${iso(next)}` : ''}`);
    }
  }
  return fail('crl', `${what}: its signature does not verify with the key of ${crl.issuer}`);
}

/** OpenSSL writes `X509 CRL`; other tools (and RFC 7468's lax form) `CRL`. */
const CRL_PEM_TYPES = new Set(['X509 CRL', 'CRL']);

/** The CRLs of a file: PEM CRL blocks, or one DER CRL. */
function readCrls(path: string): x509.X509Crl[] {
  const data = readInputFile(path, 'CRL');
  const ders = isPem(data)
    ? decodePem(data.toString('latin1'))
        .filter((block) => CRL_PEM_TYPES.has(block.type))
        .map((block) => block.der)
    : [data];
  if (ders.length === 0) throw new HelperError(`could not parse CRL ${path}: no X509 CRL block found`);
  if (data.length === 0) throw new HelperError(`could not parse CRL ${path}: it is empty`);
  if (!isPem(data) && data[0] !== 0x30) throw new HelperError(`could not parse CRL ${path}: it is neither PEM (no "-----BEGIN" line) nor DER`);
  return ders.map((der) => {
    try {
      return new x509.X509Crl(new Uint8Array(der));
    } catch {
      // @peculiar/x509's words are about its schemas, not the file.
      throw new HelperError(`could not parse CRL ${path}: it is not an X.509 CRL (damaged, or another kind of DER)`);
    }
  });
}
