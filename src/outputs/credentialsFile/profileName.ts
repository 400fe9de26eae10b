/** What a profile name must be, for messages. */
export const PROFILE_NAME_RULE = 'a profile name is a section name: not empty, no spaces at either end, no "]" or control characters';

/**
 * Whether `[name]` reads back as this name, and as one a user would ask for: a `]` ends the name, a line
 * break or other control character breaks the line, and spaces at either end, which readers keep as part
 * of the name (`[ x ]` is profile " x " to botocore and the AWS SDKs), are almost always a slip.
 */
export function isProfileName(name: string): boolean {
  if (name === '' || name.trim() !== name || name.includes(']')) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}
