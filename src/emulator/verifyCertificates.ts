import { parseX509Certificate, type X509Certificate } from '../x509/x509Certificate.js';
import { KEY_USAGES } from '../x509/keyUsages.js';
import { certificateSignedBy } from '../rolesAnywhereRules/certificateSignature.js';
import { X509Certificate as NodeCertificate } from 'node:crypto';
import { buildChain } from '../rolesAnywhereRules/chainBuilder.js';
import { MAX_CHAIN_HEADER_CERTIFICATES } from '../rolesAnywhereRules/chainDepth.js';
import { unknownCriticalExtension, unknownCriticalExtensionProblem } from '../rolesAnywhereRules/criticalExtensions.js';
import { ServiceError, untrusted } from './serviceErrors.js';
import { weakSignature } from './weakSignature.js';

/** A certificate as the emulator checks it: the structure from parseX509Certificate, signatures from node:crypto. */
export interface CheckedCertificate {
  readonly parsed: X509Certificate;
  readonly native: NodeCertificate;
  readonly der: Buffer;
  /** Whether each issuer's signature on this certificate verified, as checked once (it cannot change). */
  readonly signedBy: WeakMap<CheckedCertificate, boolean>;
}

const parsed = new Map<string, CheckedCertificate>();
const CACHE_SIZE = 1000;

/** Parses a certificate, or takes it from a cache: clients send the same certificates again and again. */
export function loadCertificate(der: Buffer): CheckedCertificate {
  const key = der.toString('base64');
  let certificate = parsed.get(key);
  if (!certificate) {
    // Every part read here, a damaged extension too, where callers refuse the certificate (fuzzing QA: an internal error later).
    certificate = { parsed: parseX509Certificate(der), native: new NodeCertificate(der), der, signedBy: new WeakMap() };
    if (parsed.size >= CACHE_SIZE) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, certificate);
  }
  return certificate;
}

export interface TrustContext {
  readonly anchors: readonly CheckedCertificate[];
  /** Certificates the anchor's CRLs revoke, by revocationKey (their issuer and serial number). */
  readonly revokedCertificates: ReadonlySet<string>;
  /** Serial numbers (lower-case hex, no leading zeros) revoked by hand, whatever their issuer. */
  readonly revokedSerials: ReadonlySet<string>;
  readonly now: Date;
}

/**
 * The checks Roles Anywhere documents for the signing certificate and its chain: an X.509 v3 end entity with a subject,
 * validity periods, basic constraints and key usage (end entity: not CA:true, with digitalSignature; issuers:
 * CA:true with keyCertSign), no signature weaker than SHA-256 on any of them, a chain of
 * verified signatures up to a trust anchor certificate, and no revoked serial. Throws the service's
 * AccessDeniedException with the reason.
 */
export function verifyCertificateChain(leaf: CheckedCertificate, intermediates: readonly CheckedCertificate[], trust: TrustContext): void {
  const { version } = leaf.parsed;
  if (version !== 3) throw untrusted(`the end-entity certificate is X.509 version ${version} (version 3 is required)`);
  // "Certificates with empty subjects are NOT yet supported" (User Guide, Trust policy).
  if (!leaf.parsed.subject) throw untrusted('the end-entity certificate has an empty subject, which the service does not support');
  checkValidity(leaf, 'end-entity certificate', trust.now);
  const weak = weakSignature(leaf.parsed);
  if (weak) throw untrusted(`the end-entity certificate is signed with ${weak}`);
  const constraints = leaf.parsed.basicConstraints;
  // Without the extension it is no CA: the service requires only that a CA field present be false.
  if (constraints?.ca) throw untrusted('the end-entity certificate is a CA certificate (basicConstraints CA:true)');
  if (!hasKeyUsage(leaf, KEY_USAGES.digitalSignature)) {
    throw untrusted('the end-entity certificate lacks the digitalSignature key usage');
  }
  const critical = unknownCriticalExtension(leaf.parsed);
  if (critical) throw untrusted(`the end-entity certificate: ${unknownCriticalExtensionProblem(critical)}`);
  checkRevocation(leaf, trust);
  if (intermediates.length > MAX_CHAIN_HEADER_CERTIFICATES) {
    throw untrusted(`X-Amz-X509-Chain holds ${intermediates.length} certificates, more than the maximum depth of ${MAX_CHAIN_HEADER_CERTIFICATES}`);
  }

  const { failure } = buildChain(leaf, intermediates, trust.anchors, {
    issued: issues,
    unfitIssuer: (issuer, below, anchor) =>
      refusal(() => {
        checkIssuer(issuer, anchor ? 'trust anchor certificate' : 'intermediate certificate', trust.now, below);
        if (!anchor) checkRevocation(issuer, trust);
      }),
    noIssuer: (subject) =>
      untrusted(subject === leaf ? 'the certificate was not issued by the trust anchor or a sent intermediate' : 'the chain does not lead to the trust anchor'),
  });
  if (failure) throw failure;
}

/** The service's refusal that `checks` throws, if it throws one: the chain builder then tries the next issuer. */
function refusal(checks: () => void): ServiceError | undefined {
  try {
    checks();
    return undefined;
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
}

/** Name chaining and a verified signature; constraints are checked afterwards, to say which one fails. */
function issues(issuer: CheckedCertificate, subject: CheckedCertificate): boolean {
  if (subject.parsed.issuer !== issuer.parsed.subject) return false;
  let verified = subject.signedBy.get(issuer);
  if (verified === undefined) {
    // A signature neither node:crypto nor the ML-DSA library can check is not verified.
    verified = certificateSignedBy(subject.der, issuer.der) ?? false;
    subject.signedBy.set(issuer, verified);
  }
  return verified;
}

function checkIssuer(certificate: CheckedCertificate, what: string, now: Date, certificatesBelow: number): void {
  checkValidity(certificate, what, now);
  const constraints = certificate.parsed.basicConstraints;
  if (!constraints?.ca) throw untrusted(`the ${what} is not a CA (basicConstraints CA:true is required)`);
  if (constraints.pathLength !== undefined && certificatesBelow > constraints.pathLength) {
    throw untrusted(`the ${what}'s path length constraint is exceeded`);
  }
  // Trust anchors "must satisfy the same requirements for signature algorithm" as end entities (User Guide).
  const weak = weakSignature(certificate.parsed);
  if (weak) throw untrusted(`the ${what} is signed with ${weak}`);
  // "The key usage MUST include Certificate Sign, and MAY include CRL Sign" (User Guide, Signature validation).
  if (!hasKeyUsage(certificate, KEY_USAGES.keyCertSign)) throw untrusted(`the ${what} lacks the keyCertSign key usage`);
  const critical = unknownCriticalExtension(certificate.parsed);
  if (critical) throw untrusted(`the ${what}: ${unknownCriticalExtensionProblem(critical)}`);
}

/** The end first: one whose validity ends before it begins has expired, as check says, and is never valid (review). */
function checkValidity(certificate: CheckedCertificate, what: string, now: Date): void {
  if (now > certificate.parsed.notAfter) throw untrusted(`the ${what} has expired`);
  if (now < certificate.parsed.notBefore) throw untrusted(`the ${what} is not yet valid`);
}

function checkRevocation(certificate: CheckedCertificate, trust: TrustContext): void {
  const serial = normaliseSerial(certificate.parsed.serialNumber);
  if (trust.revokedSerials.has(serial) || trust.revokedCertificates.has(revocationKey(certificate.parsed.issuer, serial))) {
    throw untrusted(`certificate serial ${serial} has been revoked`);
  }
}

/** How a CRL's entry and a certificate are matched: the issuer's name (as nameToString writes it) and the serial number. */
export function revocationKey(issuer: string, serialNumber: string): string {
  return `${issuer}\n${normaliseSerial(serialNumber)}`;
}

function hasKeyUsage(certificate: CheckedCertificate, flag: number): boolean {
  const usage = certificate.parsed.keyUsage;
  return usage !== undefined && (usage & flag) !== 0;
}

/** Serial numbers compared as lower-case hex without leading zeros. */
export function normaliseSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}
