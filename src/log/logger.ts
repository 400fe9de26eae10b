import { writeErr } from '../stdio.js';

/**
 * Log lines in the reference's format (Go's standard logger): `YYYY/MM/DD HH:MM:SS message` on stderr,
 * local time. stdout is reserved for each command's product.
 *
 * Nothing secret may be passed here: callers log names, paths, statuses and redacted bodies, never key
 * material, passwords, PINs, secret keys or session tokens.
 */
/** Process-wide, so that every bundle of the CLI (see src/errors.ts) sees the same --debug switch. */
const DEBUG = Symbol.for('roles-anywhere-helper.debug');
const state = globalThis as { [DEBUG]?: boolean };

export function enableDebug(): void {
  state[DEBUG] = true;
}

export function isDebugEnabled(): boolean {
  return state[DEBUG] === true;
}

export function log(message: string): void {
  writeErr(`${logTimestamp(new Date())} ${message}\n`);
}

/** Logs only under --debug; pass a function when building the message costs something. */
export function debug(message: string | (() => string)): void {
  if (!isDebugEnabled()) return;
  log(typeof message === 'function' ? message() : message);
}

export function logTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}
