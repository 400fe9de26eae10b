/** What a profile name must be, for messages. */
export const PROFILE_NAME_RULE =
  'a profile name is a section name: not empty, no spaces at either end, no control characters, and none of [ ] # ; (the AWS SDK for Go reads no file holding such a section)';

/**
 * Whether `[name]` reads back as this name, and as one a user would ask for, in every SDK's reader: a `]`
 * ends the name, a line break or other control character breaks the line, and spaces at either end, which
 * readers keep as part of the name (`[ x ]` is profile " x " to botocore and the AWS SDKs), are almost
 * always a slip. The AWS SDK for Go refuses the whole file, every profile of it, for a section name
 * holding a `[` or a `#` or `;` at the start of a word (v1, and v2's former reader: Debian 12's), or a `#`
 * or `;` anywhere (v2's current reader cuts the line there); the JavaScript SDK takes `[a #b]` for no
 * section, and its keys for the section before's.
 */
export function isProfileName(name: string): boolean {
  if (name === '' || name.trim() !== name || /[[\]#;]/.test(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}
