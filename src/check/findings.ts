/**
 * What `check` reports: one finding per rule, each passed, failed, a warning, or skipped for want of an
 * input (no trust anchor bundle, no CRL). Messages are one line and may name options with placeholders
 * (src/optionNames.ts), which the caller resolves in its own vocabulary.
 */
export type FindingStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** Which rule a finding is about; several findings may share one (a session tag each, say). */
export type CheckName =
  | 'version'
  | 'subject'
  | 'basicConstraints'
  | 'keyUsage'
  | 'signatureAlgorithm'
  | 'publicKey'
  | 'extensions'
  | 'validity'
  | 'privateKey'
  | 'chain'
  | 'crl'
  | 'revocation'
  | 'arn'
  | 'regions'
  | 'request'
  | 'sessionTag'
  | 'sessionTagCount'
  | 'sourceIdentity'
  | 'createSession';

export interface Finding {
  readonly check: CheckName;
  readonly status: FindingStatus;
  readonly message: string;
  /** A warning that needs acting on now rather than soon (a certificate that expires within days). */
  readonly urgent?: true;
  /** The session tag a `sessionTag` finding is about. */
  readonly tag?: { readonly key: string; readonly value: string };
}

type Extra = Pick<Finding, 'urgent' | 'tag'>;

export const pass = (check: CheckName, message: string, extra?: Extra): Finding => ({ check, status: 'pass', message, ...extra });
export const fail = (check: CheckName, message: string, extra?: Extra): Finding => ({ check, status: 'fail', message, ...extra });
export const warn = (check: CheckName, message: string, extra?: Extra): Finding => ({ check, status: 'warn', message, ...extra });
export const skip = (check: CheckName, message: string): Finding => ({ check, status: 'skip', message });

/** How many findings have each status. */
export function countFindings(findings: readonly Finding[]): Record<FindingStatus, number> {
  const counts: Record<FindingStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const finding of findings) counts[finding.status]++;
  return counts;
}
