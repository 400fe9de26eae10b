/** C0 controls, DEL, C1 controls, direction marks and U+2028/9: what the logger writes out (src/log/printable.ts). */
const CONTROL = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/**
 * A value as one word of a POSIX shell command line: as it is when it holds nothing a shell would read, else in
 * single quotes, so that a printed command can be pasted. A value holding a control character (a line break in a
 * path) or a direction mark is quoted as `$'…'` (bash, zsh, ksh and POSIX.1-2024 sh, not yet dash), each such
 * character an escape: in single quotes the log line would fold it, or write it out as `\x1b` or `\u202e`, and so
 * name another file (QA). For a person to paste: the tests' `sh -c` scripts quote their words with
 * test/support/shWord.ts.
 */
export function shellWord(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  if (!CONTROL.test(value)) return `'${value.replaceAll("'", "'\\''")}'`;
  // Each of its UTF-8 bytes (a C1 control is two) as \ooo, three octal digits, which no shell reads further:
  // `\u0085` is read only in a UTF-8 locale (bash under the C locale, a container's, keeps it as it is; zsh
  // refuses it; POSIX's $'…' has no \u), and POSIX leaves `\x0a` before a hex digit (`\nb`) unspecified (review).
  const escape = (char: string) => [...Buffer.from(char)].map((byte) => `\\${byte.toString(8).padStart(3, '0')}`).join('');
  return `$'${value.replace(/[\\']/g, '\\$&').replace(new RegExp(CONTROL, 'g'), escape)}'`;
}
