import { JS_SDK_REFUSED_SECTIONS } from './jsSdkReading.js';

/** What a profile name must be, for messages. */
const PROFILE_NAME_RULE =
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
function isProfileName(name: string): boolean {
  if (name === '' || name.trim() !== name || /[[\]#;]/.test(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/**
 * Why `update` may not write the profile `name`, or undefined: a name that is no section name
 * (isProfileName); DEFAULT, which Python's configparser, botocore's reader, takes for the defaults of every
 * section (QA: fuzzing); a section the JavaScript SDK's parseIni throws for, after which fromIni reads no
 * profile of the file (review: refused only after a CreateSession, by the write's check).
 */
export function profileNameProblem(name: string): string | undefined {
  if (!isProfileName(name)) return PROFILE_NAME_RULE;
  if (name === 'DEFAULT') {
    return "botocore (the AWS CLI) reads no profile of that name, but reads a [DEFAULT] section's settings as those of every other profile, whose own keys would then go with its session token";
  }
  if (JS_SDK_REFUSED_SECTIONS.includes(name)) return 'the AWS SDK for JavaScript (fromIni) reads none of the profiles of a file holding a section of that name';
  return undefined;
}
