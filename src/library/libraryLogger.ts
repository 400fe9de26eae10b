import type { Logger } from '../log/logger.js';
import { printableLogger } from '../log/printable.js';
import { libraryNaming, nameOptions } from '../optionNames.js';

/**
 * The caller's logger, given lines that name options as the library does (src/optionNames.ts), each one
 * printable line but debug's (printableLogger), as the CLI's logger writes them.
 */
export function libraryLogger(logger: Logger): Logger {
  return printableLogger(logger, (text) => nameOptions(text, libraryNaming));
}
