import { ignoreLog, type Logger } from '../log/logger.js';
import { oneLine, printable } from '../log/printable.js';
import { libraryNaming, nameOptions } from '../optionNames.js';

/**
 * The caller's logger, given lines that name options as the library does (src/optionNames.ts). A level the
 * caller's logger ignores stays `ignoreLog`, so that debug lines nobody reads are not built (logsDebug).
 * Control characters (a server's text in them) are written out, and line breaks but debug's folded, as the CLI's logger does.
 */
export function libraryLogger(logger: Logger): Logger {
  // As the CLI's logger: only debug lines keep their line breaks (a path holding one would forge a line of the caller's log).
  const level = (method: (...content: unknown[]) => void, lines: (text: string) => string = oneLine) =>
    method === ignoreLog
      ? ignoreLog
      : (...content: unknown[]) => method.apply(logger, content.map((item) => (typeof item === 'string' ? printable(lines(nameOptions(item, libraryNaming))) : item)));
  return { debug: level(logger.debug, (text) => text), info: level(logger.info), warn: level(logger.warn), error: level(logger.error) };
}
