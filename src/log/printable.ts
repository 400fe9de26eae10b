import { ignoreLog, type Logger } from './logger.js';

/**
 * C0 controls but tab and line feed, DEL, C1 controls, and the marks that turn text's direction (U+061C,
 * U+200E-F, U+202A-E, U+2066-9) or break its line outside ASCII (U+2028-9).
 */
const CONTROL = /[\0-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * Text with its control characters written out as `\xHH` (`\uHHHH` past U+00FF): what a server or a client
 * sent (an error message, a response body, a request path) reaches a terminal through our lines, where a
 * carriage return or an escape sequence would overwrite or recolour them (`...denied\r\x1b[32mOK`), and a
 * right-to-left override would show a name reversed. Tabs and line breaks are kept, for messages meant to
 * have several lines (printableLine folds them). Other Unicode is kept.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** Text made one line: its line breaks (with the spaces around them, a CR of a CRLF too) folded into one space. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Text made one printable line (oneLine, then printable). */
export function printableLine(text: string): string {
  return printable(oneLine(text));
}

/**
 * A log line's message as every logger here writes it (the CLI's, printableLogger): control characters written
 * out, and line breaks folded, as a path holding one would forge a line of the log; but a debug line's, which
 * may be meant (the canonical request, as the reference writes it).
 */
export function logMessage(text: string, debug: boolean): string {
  return debug ? printable(text) : printableLine(text);
}

/** Text as a message quotes it: its first `max` characters, and `…` when there were more. */
export function cutShort(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * A caller's logger given each message as logMessage writes it: a path, or a name a request or a server sent,
 * holding a line break would otherwise forge a line of the caller's log. `rewrite` is applied to each message first. A level the caller's logger ignores stays
 * `ignoreLog`, so that debug lines nobody reads are not built (logsDebug).
 */
export function printableLogger(logger: Logger, rewrite: (text: string) => string = (text) => text): Logger {
  const level = (method: (...content: unknown[]) => void, debug = false) =>
    method === ignoreLog
      ? ignoreLog
      : (...content: unknown[]) => method.apply(logger, content.map((item) => (typeof item === 'string' ? logMessage(rewrite(item), debug) : item)));
  return { debug: level(logger.debug, true), info: level(logger.info), warn: level(logger.warn), error: level(logger.error) };
}
