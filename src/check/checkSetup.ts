import type { Context } from '../context.js';
import { rolesAnywhereSession, type RolesAnywhereOptions, type RolesAnywhereSession } from '../credentials/rolesAnywhereSession.js';
import { HelperError } from '../errors.js';
import { readFileFor } from '../files/readFileFor.js';
import { readCertificateBundle } from '../keys/file/certificateFile.js';
import { inputName } from '../keys/input.js';
import { namesCertificate, shownCertificateName } from '../keys/keyNamings.js';
import type { KeySource } from '../keys/keySource.js';
import { resolveKeySource } from '../keys/resolveKeySource.js';
import { defaultSessionTags } from '../rolesAnywhereRules/sessionTags.js';
import { arnFindings } from './arns.js';
import { certificateProfileFindings } from './certificateProfile.js';
import { certificateUnderCheck, type CertificateUnderCheck } from './certificateUnderCheck.js';
import { chainCheck } from './chain.js';
import { countFindings, fail, skip, type Finding } from './findings.js';
import { inspectCertificate, type InspectedCertificate } from './inspectedCertificate.js';
import { keyPossessionFinding } from './keyPossession.js';
import { revocationFindings } from './revocation.js';
import { notSent, serviceAnswerFinding, serviceNotAsked } from './serviceAnswer.js';
import { sessionTagFindings } from './sessionTags.js';
import { sourceIdentityFinding } from './sourceIdentity.js';
import { validityFinding } from './validity.js';
import { option } from '../optionNames.js';

export interface CheckOptions extends RolesAnywhereOptions {
  /** The CA certificates registered as the trust anchor (PEM bundle or one DER certificate). */
  readonly trustAnchorCertificate?: string | undefined;
  /** A CRL as imported with ImportCrl (PEM, possibly several, or DER). */
  readonly crl?: string | undefined;
}

export interface CheckReport {
  /** The certificate: its path as given, or its pkcs11: URI without a pin-value. */
  readonly certificate: string;
  readonly subject: string;
  readonly findings: readonly Finding[];
  /** No finding failed (warnings allowed). */
  readonly passed: boolean;
}

/**
 * Applies Roles Anywhere's rules to a certificate, its key, chain and the request's ARNs without calling
 * AWS; with an endpoint, also sends one CreateSession and reports the answer. Inputs that cannot be read
 * at all (no certificate, an unreadable bundle or CRL) are HelperErrors; everything else is a finding.
 */
export async function checkSetup(options: CheckOptions, context: Context): Promise<CheckReport> {
  const now = new Date();
  const anchorPath = options.trustAnchorCertificate;
  const anchors = anchorPath
    ? readFileFor(anchorPath, `invalid ${option('trustAnchorCertificate')} ${anchorPath}`, (path) => readCertificateBundle(path).map((c) => inspectCertificate(c.der)))
    : [];
  let session: RolesAnywhereSession | undefined;
  let sessionProblem: HelperError | undefined;
  if (options.endpoint) {
    try {
      session = rolesAnywhereSession(options, context);
    } catch (error) {
      if (!(error instanceof HelperError)) throw error;
      sessionProblem = error;
    }
  }
  let source: KeySource | undefined;
  // The session's own key source when there is a session, so that the key is opened (and a PIN asked) once.
  const openSource = async () => (source = await (session ? session.keySource() : resolveKeySource(options, context)));
  try {
    const underCheck = await certificateUnderCheck(openSource, options, context);
    const certificateName = shownCertificateName(inputName(options.certificate ?? options.privateKey ?? ''));
    const leaf = named(() => inspectCertificate(underCheck.certificate.der), `could not parse certificate ${certificateName}`);
    const chainName = options.intermediates ? `invalid ${option('intermediates')} ${inputName(options.intermediates)}` : `could not parse the chain of certificate ${certificateName}`;
    const intermediates = named(() => underCheck.intermediates.map((c) => inspectCertificate(c.der)), chainName);
    let unsent: InspectedCertificate[] | undefined;
    const chain = chainCheck(leaf, intermediates, anchors, now, () => (unsent ??= unsentCertificates(options)));
    const findings: Finding[] = [
      ...certificateProfileFindings(leaf),
      validityFinding(leaf, now),
      await privateKeyFinding(underCheck, leaf),
      chain.finding,
      ...(await revocationFindings(options.crl, anchors.length > 0 ? chain.path : [leaf, ...intermediates], [...intermediates, ...anchors], now, anchors.length > 0)),
      ...arnFindings(options, context.env),
      ...sessionTagFindings(defaultSessionTags(leaf.parsed)),
      sourceIdentityFinding(leaf),
    ];
    if (session) findings.push(await serviceAnswerFinding(session));
    else if (sessionProblem) findings.push(notSent(sessionProblem));
    else if (findings.some((finding) => finding.check === 'request' && finding.status === 'pass')) findings.push(serviceNotAsked());
    return {
      // A path as it is; a pkcs11: URI without its PIN (the report is printed, maybe kept).
      certificate: certificateName,
      subject: leaf.name,
      findings,
      passed: countFindings(findings).fail === 0,
    };
  } finally {
    await (session ? session.close() : source?.close());
  }
}

/** What `inspect` returns; its HelperError (why a certificate does not parse) after `name`. */
function named<T>(inspect: () => T, name: string): T {
  try {
    return inspect();
  } catch (error) {
    if (!(error instanceof HelperError)) throw error;
    throw new HelperError(`${name}: ${error.text}`);
  }
}

/**
 * Whether the key signs for the certificate; for a certificate whose kind of key the helper cannot sign
 * with, not checked: the public key's finding has said so, and its failure is counted once.
 */
async function privateKeyFinding(underCheck: CertificateUnderCheck, leaf: InspectedCertificate): Promise<Finding> {
  if (underCheck.identity) return keyPossessionFinding(underCheck.identity, leaf);
  if (!underCheck.certificate.publicKey.keyType) return skip('privateKey', "private key not checked: the helper cannot sign with the certificate's kind of key");
  return fail('privateKey', underCheck.keyProblem!);
}

/**
 * The certificates a PEM certificate file holds after the end entity (a `fullchain.pem`), which neither the
 * reference nor this helper sends: the chain's failure then says the issuer is there (QA: it told to give
 * --intermediates as if it were nowhere). None for a file that is no bundle of certificates alone.
 */
function unsentCertificates(options: CheckOptions): InspectedCertificate[] {
  const { certificate } = options;
  if (certificate === undefined || namesCertificate(certificate)) return [];
  try {
    return readCertificateBundle(certificate).slice(1).map((c) => inspectCertificate(c.der));
  } catch {
    return [];
  }
}
