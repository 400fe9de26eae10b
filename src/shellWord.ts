/** A value as one word of a POSIX shell command line: as it is when it holds nothing a shell would read, else in single quotes, so that a printed command can be pasted. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
