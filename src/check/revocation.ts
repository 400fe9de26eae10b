import { readFileFor } from '../files/readFileFor.js';
import { option } from '../optionNames.js';
import type { X509Crl } from '../x509/crl.js';
import { readCrlFile } from '../rolesAnywhereRules/crlFile.js';
import { fail, pass, skip, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { isoSeconds } from '../isoSeconds.js';

/**
 * Revocation as the service applies CRLs imported with ImportCrl: each CRL's signature verified with its
 * issuer's key (a CA of the chain or of the trust anchor bundle), then every certificate of the chain that
 * CRL's issuer issued looked up in it. A CRL whose signature did not verify (or could not be verified) says
 * nothing about revocation: ImportCrl would not take it, and anyone can write one in a CA's name.
 */
export async function revocationFindings(
  crlPath: string | undefined,
  chain: readonly InspectedCertificate[],
  cas: readonly InspectedCertificate[],
  now: Date,
  anchorsGiven: boolean,
): Promise<Finding[]> {
  if (!crlPath) return [skip('revocation', `revocation not checked: give the CRL with ${option('crl')}`)];
  const crls = readFileFor(crlPath, `invalid ${option('crl')} ${crlPath}`, readCrlFile);
  const findings: Finding[] = [];
  const verified: X509Crl[] = [];
  for (const crl of crls) {
    const signature = signatureCheck(crl, cas, now, anchorsGiven);
    findings.push(signature.finding);
    if (signature.verified) verified.push(crl);
  }
  const revoked = chain.flatMap((certificate) =>
    verified
      .filter((crl) => crl.issuer === certificate.parsed.issuer)
      .map((crl) => ({ crl, entry: crl.findRevoked(certificate.parsed.serialNumber) }))
      .filter(({ entry }) => entry !== undefined)
      .map(({ crl, entry }) =>
        fail(
          'revocation',
          `${certificate.name} (serial ${certificate.parsed.serialNumber}) was revoked on ${isoSeconds(entry!.revocationDate)} by the CRL of ${crl.issuer}`,
        ),
      ),
  );
  if (revoked.length > 0) return [...findings, ...revoked];
  const ofTheChain = (list: readonly X509Crl[]) => chain.some((certificate) => list.some((crl) => crl.issuer === certificate.parsed.issuer));
  if (!ofTheChain(crls)) {
    const issuers = [...new Set(crls.map((crl) => crl.issuer))].join('; ');
    return [...findings, warn('revocation', `revocation not checked: ${crlPath} is from ${issuers}, which issued none of the chain's certificates`)];
  }
  if (!ofTheChain(verified)) {
    return [...findings, warn('revocation', `revocation not checked: no CRL in ${crlPath} of an issuer of the chain has a signature that verified`)];
  }
  return [...findings, pass('revocation', `not revoked: ${crlPath} lists none of the chain's certificates`)];
}

/** Whether the CRL is its issuer's own: signed by the key of a CA of that name (and whether it is current). */
function signatureCheck(
  crl: X509Crl,
  cas: readonly InspectedCertificate[],
  now: Date,
  anchorsGiven: boolean,
): { finding: Finding; verified: boolean } {
  const candidates = cas.filter((ca) => ca.parsed.subject === crl.issuer);
  const what = `CRL of ${crl.issuer}`;
  if (candidates.length === 0) {
    // With the trust anchor bundle given, a CRL none of its CAs (nor the chain's) issued is one ImportCrl refuses,
    // as it refuses a forged one: a failure alike (QA: another CA's CRL passed, a forged one failed).
    const message = `${what}: its signature was not verified, as no CA of that name is in the chain or the trust anchor bundle; it is not used`;
    return { finding: anchorsGiven ? fail('crl', `${message} (ImportCrl would refuse it)`) : warn('crl', message), verified: false };
  }
  for (const ca of candidates) {
    if (crl.verify(ca.parsed.publicKey)) {
      const next = crl.nextUpdate;
      if (next && next < now) return { finding: warn('crl', `${what}: signature verified, but its next update was due on ${isoSeconds(next)}`), verified: true };
      return { finding: pass('crl', `${what}: signature verified${next ? `, next update ${isoSeconds(next)}` : ''}`), verified: true };
    }
  }
  return { finding: fail('crl', `${what}: its signature does not verify with the key of ${crl.issuer}, so it is not used`), verified: false };
}
