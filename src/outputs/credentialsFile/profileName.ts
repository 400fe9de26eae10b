/** What a profile name must be, for messages. */
export const PROFILE_NAME_RULE = 'a profile name is a section name: not empty, no spaces at either end, no "]" or control characters';

/**
 * Whether `[name]` reads back as this name: readers trim the spaces inside the brackets (so `default `
 * would be a new section on every run, which botocore then refuses as a duplicate), a `]` ends the name,
 * and a line break or other control character breaks the line.
 */
export function isProfileName(name: string): boolean {
  if (name === '' || name.trim() !== name || name.includes(']')) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}
