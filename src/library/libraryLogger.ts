import { ignoreLog, type Logger } from '../log/logger.js';
import { printable } from '../log/printable.js';
import { libraryNaming, nameOptions } from '../optionNames.js';

/**
 * The caller's logger, given lines that name options as the library does (src/optionNames.ts). A level the
 * caller's logger ignores stays `ignoreLog`, so that debug lines nobody reads are not built (logsDebug).
 * Control characters (a server's text in them) are written out, as the CLI's logger does. The "warning: "
 * the CLI's lines begin with is left to the caller's logger, which names its levels itself.
 */
export function libraryLogger(logger: Logger): Logger {
  const level = (method: (...content: unknown[]) => void, prefix?: string) =>
    method === ignoreLog
      ? ignoreLog
      : (...content: unknown[]) =>
          method.apply(
            logger,
            content.map((item, i) => {
              if (typeof item !== 'string') return item;
              const line = i === 0 && prefix && item.startsWith(prefix) ? item.slice(prefix.length) : item;
              return printable(nameOptions(line, libraryNaming));
            }),
          );
  return { debug: level(logger.debug), info: level(logger.info), warn: level(logger.warn, 'warning: '), error: level(logger.error) };
}
