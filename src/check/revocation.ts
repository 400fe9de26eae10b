import { option } from '../optionNames.js';
import { x509 } from '../peculiarX509.js';
import { readCrlFile } from '../keys/file/crlFile.js';
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
  const crls = readCrlFile(crlPath);
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

