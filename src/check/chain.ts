import { option } from '../optionNames.js';
import { KEY_USAGES } from '../x509/keyUsages.js';
import { buildChain } from '../rolesAnywhereRules/chainBuilder.js';
import { MAX_CHAIN_HEADER_CERTIFICATES } from '../rolesAnywhereRules/chainDepth.js';
import { fail, pass, skip, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { signatureAlgorithmFinding } from './signatureAlgorithm.js';
import { renewalDue, timeLeft } from './validity.js';
import { isoSeconds, thisClockReads } from '../isoSeconds.js';
import { unknownCriticalExtension, unknownCriticalExtensionProblem } from '../rolesAnywhereRules/criticalExtensions.js';

export interface ChainCheck {
  readonly finding: Finding;
  /**
   * The certificates from the end entity up, as far as the chain was built (the anchor included); for a
   * chain too long to send, which is not built, those it would send.
   */
  readonly path: readonly InspectedCertificate[];
}

/**
 * Builds the chain the service would build: from the end entity through the intermediates (those sent
 * in X-Amz-X509-Chain) to a certificate of the trust anchor bundle, each link a verified signature, and
 * each CA above the end entity valid, CA:true, keyCertSign (cRLSign is optional), signed with SHA-256 or
 * stronger, and within its path length. The finding names the certificate where the chain breaks.
 */
export function chainCheck(
  leaf: InspectedCertificate,
  intermediates: readonly InspectedCertificate[],
  anchors: readonly InspectedCertificate[],
  now: Date,
  unsent: () => readonly InspectedCertificate[] = () => [],
): ChainCheck {
  const path = [leaf];
  if (intermediates.length > MAX_CHAIN_HEADER_CERTIFICATES) {
    const count = intermediates.length;
    // (QA: with the end entity alone as its path, a CRL of the intermediates' issuer was said to be of none of the chain's certificates.)
    const finding = fail('chain', `X-Amz-X509-Chain would hold ${count} certificates, more than the maximum depth of ${MAX_CHAIN_HEADER_CERTIFICATES}: send fewer intermediates`);
    return { finding, path: [leaf, ...intermediates] };
  }
  if (anchors.length === 0) {
    return { finding: skip('chain', `chain to the trust anchor not checked: give the anchor's CA certificates with ${option('trustAnchorCertificate')}`), path };
  }
  const chain = buildChain(leaf, intermediates, anchors, {
    issued: (issuer, subject) => issued(issuer, subject) !== false,
    unfitIssuer: (issuer, below, anchor) => {
      const problem = caProblem(issuer, below, now);
      return problem === undefined ? undefined : fail('chain', `chain broken at the ${anchor ? 'trust anchor' : 'intermediate'} ${issuer.name}: ${problem}`);
    },
    noIssuer: (subject) => fail('chain', `chain broken at ${subject.name}: ${missingIssuer(subject, intermediates, anchors, unsent)}`),
  });
  return chain.failure ? { finding: chain.failure, path: chain.path } : anchored(chain.path, now);
}

/**
 * The finding of a chain that reached the trust anchor bundle (`path` ends there). Its notes are read off
 * the path: the links whose signature nothing here can check, and the CAs signed with an algorithm the
 * service is not known to accept (every CA of it passed caProblem, which fails the rest).
 */
function anchored(path: readonly InspectedCertificate[], now: Date): ChainCheck {
  const chain = `chain: ${path.map((c) => c.name).join(' ← ')} (trust anchor)`;
  // A CA that expires soon ends every certificate it issued with it: said as the end entity's validity is.
  const [soonest] = path.slice(1).sort((a, b) => a.parsed.notAfter.getTime() - b.parsed.notAfter.getTime());
  const renewal = renewalDue(soonest!.parsed.notAfter, now);
  const expiring = renewal
    ? `; ${soonest === path[path.length - 1] ? 'the trust anchor' : 'the intermediate'} ${soonest!.name} is valid until ${isoSeconds(soonest!.parsed.notAfter)}, ` +
      `${timeLeft(soonest!.parsed.notAfter, now)} left: ${renewal.advice}`
    : '';
  const unverified = path.slice(0, -1).filter((subject, index) => issued(path[index + 1]!, subject) === undefined);
  const unknownAlgorithms = path.slice(1).flatMap((ca) => {
    const signature = signatureAlgorithmFinding(ca);
    return signature.status === 'warn' ? [`; ${ca.name} ${signature.message}`] : [];
  });
  // A signature nothing here can check is not passed: the service may verify it, or refuse it.
  const unverifiedNote =
    (unverified.length > 0 ? `, the signatures of ${unverified.map((c) => c.name).join(', ')} not verified (an algorithm unknown here)` : '') +
    unknownAlgorithms.join('');
  const finding =
    unverifiedNote || renewal ? warn('chain', `${chain}${unverifiedNote}${expiring}`, renewal?.urgent ? { urgent: true } : {}) : pass('chain', chain);
  return { finding, path };
}

/** Whether `issuer` issued `subject`: names that chain and a signature that verifies (true), or that cannot be checked here (undefined). */
function issued(issuer: InspectedCertificate, subject: InspectedCertificate): boolean | undefined {
  if (subject.parsed.issuer !== issuer.parsed.subject) return false;
  // Node refuses some algorithms outside the service's table (ECDSA with SHA3-256): not verified, rather than not signed.
  const signed = subject.signedBy(issuer);
  return signed === false && signatureAlgorithmFinding(subject).status === 'warn' ? undefined : signed;
}

/** Why nothing issued `subject`: no certificate of its issuer's name, or one whose key did not sign it. */
function missingIssuer(
  subject: InspectedCertificate,
  intermediates: readonly InspectedCertificate[],
  anchors: readonly InspectedCertificate[],
  unsent: () => readonly InspectedCertificate[],
): string {
  const issuerName = subject.parsed.issuer;
  // Read only here, where the chain breaks: a passing chain has no need of them.
  if (unsent().some((candidate) => candidate.parsed.subject === issuerName)) {
    return `its issuer ${issuerName} follows it in the certificate file, which is not sent: only the file's first certificate is used; give the others with ${option('intermediates')}`;
  }
  if ([...anchors, ...intermediates].some((candidate) => candidate.parsed.subject === issuerName)) {
    return `its issuer ${issuerName} is there, but its key did not sign this certificate (another CA of the same name?)`;
  }
  const hint = intermediates.length === 0 ? `; if an intermediate CA issued it, give it with ${option('intermediates')}` : '';
  return `no certificate of the trust anchor bundle or the intermediates is its issuer, ${issuerName}${hint}`;
}

/**
 * What disqualifies a certificate as a CA with `below` intermediates under it, if anything. A signature
 * algorithm the service is not known to accept does not: the chain's finding notes it.
 */
function caProblem(ca: InspectedCertificate, below: number, now: Date): string | undefined {
  const { notBefore, notAfter } = ca.parsed;
  // With this clock's reading, as for the leaf (validityFinding): a clock far off is the usual cause (QA time).
  if (now > notAfter) return `expired on ${isoSeconds(notAfter)}, and ${thisClockReads(now)}`;
  if (now < notBefore) return `not valid until ${isoSeconds(notBefore)}, and ${thisClockReads(now)}`;
  if (!ca.basicConstraints?.ca) return 'not a CA (basicConstraints CA:true is required)';
  const pathLength = ca.basicConstraints.pathLength;
  if (pathLength !== undefined && below > pathLength) return `its path length constraint (${pathLength}) allows fewer intermediates below it`;
  // "Certificates used as trust anchors must satisfy the same requirements for signature algorithm" (SHA-256 or
  // stronger) as the end entity (User Guide, Signature validation): its own signature, self-signed or not.
  const signature = signatureAlgorithmFinding(ca);
  if (signature.status === 'fail') return signature.message;
  // "The key usage MUST include Certificate Sign, and MAY include CRL Sign" (User Guide, Signature validation).
  if (ca.keyUsage === undefined) return 'no keyUsage extension (keyCertSign is required)';
  if (!(ca.keyUsage & KEY_USAGES.keyCertSign)) return 'keyUsage lacks keyCertSign';
  const critical = unknownCriticalExtension(ca.parsed);
  if (critical) return unknownCriticalExtensionProblem(critical);
  return undefined;
}
