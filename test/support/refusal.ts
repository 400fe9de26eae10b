import { flagNaming } from '../../src/cli/flags.js';
import { HelperError } from '../../src/errors.js';
import { nameOptions } from '../../src/optionNames.js';

/** The message of the HelperError `run` throws, options named as the CLI names them; 'accepted' when it throws none. */
export function refusalOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof HelperError) return nameOptions(error.text, flagNaming);
    throw error;
  }
  return 'accepted';
}
