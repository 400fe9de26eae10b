import { countFindings, type Finding } from '../../../check/findings.js';
import type { CheckReport } from '../../../check/checkSetup.js';
import { nameOptions } from '../../../optionNames.js';
import { flagNaming } from '../../flags.js';

const SYMBOLS: Readonly<Record<Finding['status'], string>> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

/** One line per finding: ✓ passed, ! warning (!! when urgent), ✗ failed, - not checked. */
export function textReport(report: CheckReport): string {
  return report.findings.map((finding) => `${symbolOf(finding)} ${nameOptions(finding.message, flagNaming)}\n`).join('');
}

/** The same findings as one JSON document, for scripts. */
export function jsonReport(report: CheckReport): string {
  const findings = report.findings.map((finding) => ({ ...finding, message: nameOptions(finding.message, flagNaming) }));
  const document = { certificate: report.certificate, subject: report.subject, passed: report.passed, counts: countFindings(findings), findings };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function symbolOf(finding: Finding): string {
  return finding.urgent ? '!!' : SYMBOLS[finding.status];
}
