import { checkSetup } from '../../../check/checkSetup.js';
import { countFindings } from '../../../check/findings.js';
import { HelperError } from '../../../errors.js';
import { writeOut } from '../../../stdio.js';
import type { CommandRun } from '../../command.js';
import { rolesAnywhereOptions } from '../../commandOptions.js';
import { filePathFlag } from '../../flagSources.js';
import type { CHECK_FLAGS } from './flags.js';
import { jsonReport, textReport } from './report.js';

/**
 * `check`: the findings on stdout (text or JSON); when any failed, one line on stderr and exit code 1, so
 * that a script can test the exit code and still read every finding.
 */
export const run: CommandRun<typeof CHECK_FLAGS> = async (flags, context) => {
  // Before the other inputs, which may read standard input.
  const trustAnchorCertificate = filePathFlag('trust-anchor-certificate', flags['trust-anchor-certificate']);
  const crl = filePathFlag('crl', flags.crl);
  const report = await checkSetup({ ...rolesAnywhereOptions(flags, context), trustAnchorCertificate, crl }, context);
  writeOut(flags.json ? jsonReport(report, context.naming) : textReport(report, context.naming));
  const failed = countFindings(report.findings).fail;
  if (failed > 0) throw new HelperError(`${report.certificate}: ${failed} ${failed === 1 ? 'check' : 'checks'} failed`);
};
