import { countFindings, type Finding } from '../../../check/findings.js';
import type { CheckReport } from '../../../check/checkSetup.js';
import { nameOptions, type OptionNaming } from '../../../optionNames.js';
import { printableLine } from '../../../log/printable.js';

const SYMBOLS: Readonly<Record<Finding['status'], string>> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

/**
 * One line per finding: ✓ passed, ! warning (!! when urgent), ✗ failed, - not checked; options named by `naming`.
 * Control characters written out: a certificate's names reach the terminal (QA pki: an ESC in a subject).
 */
export function textReport(report: CheckReport, naming: OptionNaming): string {
  return report.findings.map((finding) => `${symbolOf(finding)} ${printableLine(nameOptions(finding.message, naming))}\n`).join('');
}

/** The same findings as one JSON document, for scripts. */
export function jsonReport(report: CheckReport, naming: OptionNaming): string {
  const findings = report.findings.map((finding) => ({ ...finding, message: nameOptions(finding.message, naming) }));
  const document = { certificate: report.certificate, subject: report.subject, passed: report.passed, counts: countFindings(findings), findings };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function symbolOf(finding: Finding): string {
  return finding.urgent ? '!!' : SYMBOLS[finding.status];
}
