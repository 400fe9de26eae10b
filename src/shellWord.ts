/** C0 controls, DEL, and C1 controls: what the logger writes out (src/log/printable.ts). */
const CONTROL = /[\0-\x1f\x7f-\x9f]/;

/**
 * A value as one word of a POSIX shell command line: as it is when it holds nothing a shell would read, else in
 * single quotes, so that a printed command can be pasted. A value holding a control character (a line break in a
 * path) is quoted as `$'…'` (bash, zsh, ksh and POSIX.1-2024 sh), each such character an escape: in single
 * quotes the log line would fold it, or write it out as `\x1b`, and so name another file (QA).
 */
export function shellWord(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  if (!CONTROL.test(value)) return `'${value.replaceAll("'", "'\\''")}'`;
  const escape = (char: string) => {
    const code = char.charCodeAt(0);
    // A C1 control is a character of two bytes in UTF-8: \xHH would make it one byte.
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  };
  return `$'${value.replace(/[\\']/g, '\\$&').replace(new RegExp(CONTROL, 'g'), escape)}'`;
}
