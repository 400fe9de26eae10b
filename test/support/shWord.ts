/**
 * A value as one word of a command the tests run with `sh -c` (dash here): as it is when it holds nothing a
 * shell would read, else in single quotes, which keep line breaks and control characters as they are. Not
 * src/shellWord.ts: its `$'…'` (for a command printed to a person, through the logger) is not in dash, and a
 * test's script holding a line break then failed to run at all.
 */
export function shWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
