import { ignoreLog, type Logger } from '../log/logger.js';
import { printable } from '../log/printable.js';
import { libraryNaming, nameOptions } from '../optionNames.js';

/**
 * The caller's logger, given lines that name options as the library does (src/optionNames.ts). A level the
 * caller's logger ignores stays `ignoreLog`, so that debug lines nobody reads are not built (logsDebug).
 * Control characters (a server's text in them) are written out, as the CLI's logger does.
 */
export function libraryLogger(logger: Logger): Logger {
  const level = (method: (...content: unknown[]) => void) =>
    method === ignoreLog
      ? ignoreLog
      : (...content: unknown[]) => method.apply(logger, content.map((item) => (typeof item === 'string' ? printable(nameOptions(item, libraryNaming)) : item)));
  return { debug: level(logger.debug), info: level(logger.info), warn: level(logger.warn), error: level(logger.error) };
}
