import { ignoreLog, type Logger } from '../log/logger.js';
import { nameOptions } from '../optionNames.js';
import { writeErr } from '../stdio.js';
import { flagNaming } from './flags.js';

/**
 * The CLI's log lines, in the reference's format (Go's standard logger): `YYYY/MM/DD HH:MM:SS message` on
 * stderr, local time; debug lines only with --debug; options named by their flags. stdout is reserved for
 * each command's product.
 */
export function cliLogger(options: { readonly debug: boolean }): Logger {
  const line = (...content: unknown[]) =>
    writeErr(`${logTimestamp(new Date())} ${nameOptions(content.map(String).join(' '), flagNaming)}\n`);
  return { debug: options.debug ? line : ignoreLog, info: line, warn: line, error: line };
}

function logTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}
