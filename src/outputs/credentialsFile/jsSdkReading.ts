/** A file's sections and their settings, as a reader names them. */
type Reading = Map<string, Map<string, string>>;

/** The sections for which the JavaScript SDK's parseIni throws, so that fromIni reads no profile of the file. */
export const JS_SDK_REFUSED_SECTIONS: readonly string[] = ['__proto__', 'profile __proto__'];

const PREFIXED = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;

/** What it names the section `[name]`: `[word name]` is one of that type (`profile.name`), none unless the type is one of its own. */
function sectionName(name: string): string | undefined {
  const prefixed = PREFIXED.exec(name);
  if (!prefixed) return name;
  return ['profile', 'sso-session', 'services'].includes(prefixed[1]!) ? `${prefixed[1]}.${prefixed[3]}` : undefined;
}

/**
 * A credentials file as the AWS SDK for JavaScript v3 reads it (@smithy/core's parseIni, which fromIni
 * uses); undefined where it reads none of it (a section `[__proto__]`).
 * Not as botocore reads it, whom updateProfile follows: a `#` or `;` after a blank starts a comment anywhere,
 * only `=` sets a key, a header is a line that is `[…]` once a comment is cut (`[x] - mine` is none, and its
 * keys are the section before's), an indented line is never a continuation (`  [x]` is a header), a key with
 * no value opens a block, whose indented keys it reads as `block.key`; sections are named by sectionName.
 */
function readAsJsSdk(data: Buffer): Reading | undefined {
  const sections: Reading = new Map();
  let section: string | undefined;
  let block: string | undefined;
  for (const line of data.toString('utf8').split(/\r?\n/)) {
    const trimmed = line.split(/(^|\s)[;#]/)[0]!.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      const name = trimmed.slice(1, -1);
      if (JS_SDK_REFUSED_SECTIONS.includes(name)) return undefined;
      section = sectionName(name);
      block = undefined;
      continue;
    }
    const equals = trimmed.indexOf('=');
    if (!section || equals < 1) continue;
    const key = trimmed.slice(0, equals).trim();
    const value = trimmed.slice(equals + 1).trim();
    if (value === '') {
      block = key;
      continue;
    }
    if (block !== undefined && line.trimStart() === line) block = undefined;
    if (!sections.has(section)) sections.set(section, new Map());
    sections.get(section)!.set(block === undefined ? key : `${block}.${key}`, value);
  }
  return sections;
}

/**
 * Why the AWS SDK for JavaScript would read the file `after` (updateProfile's, of `before`) otherwise than
 * `before` beyond the profile's credentials, or other credentials than `values` in the profile; undefined
 * when it reads it as it should (or read none of it before). The profile's keys that begin with a credential
 * key's name, in any case (blocks of them, a key set with `:` and a value holding `=`), are the old
 * credentials. Where it reads no credentials in the profile after the write (a header it reads as none, lines
 * that end in a lone CR), the file is written for botocore, as before: it misses them there whatever is
 * written, and a refusal would fail the AWS CLI's users too.
 */
export function jsSdkChange(before: Buffer, after: Buffer, profile: string, values: Readonly<Record<string, string>>): string | undefined {
  const old = readAsJsSdk(before);
  if (!old) return undefined;
  const now = readAsJsSdk(after);
  if (!now) return 'would read none of its profiles with this profile name';
  // `aws_session_token: a=b` it reads as key `aws_session_token: a`, which the write with `=` replaces.
  const credentialKey = new RegExp(`^(${Object.keys(values).join('|')})\\b`);
  const credential = (key: string) => credentialKey.test(key.toLowerCase());
  const own = sectionName(profile);
  for (const name of new Set([...old.keys(), ...now.keys()])) {
    for (const key of new Set([...(old.get(name)?.keys() ?? []), ...(now.get(name)?.keys() ?? [])])) {
      if (name === own && credential(key)) continue;
      // A key it reads out of a line such as `aws_secret_access_key: abc=d` holds part of a value: not named.
      const shown = /^[\w.-]{1,64}$/.test(key) ? key : 'a setting';
      if (old.get(name)?.get(key) !== now.get(name)?.get(key)) return `would read ${shown} of profile ${JSON.stringify(name)} otherwise after the write`;
    }
  }
  // A section it names otherwise (`profile.x` for [profile x]) is no profile of that name to it: no section
  // of that name is read, as sectionName never returns a name PREFIXED matches.
  const read = now.get(profile);
  if (!read || !Object.keys(values).some((key) => read.has(key))) return undefined;
  if (Object.entries(values).some(([key, value]) => read.get(key) !== value)) return `would read other credentials than the new ones in profile ${JSON.stringify(profile)}`;
  return undefined;
}

/**
 * Whether the AWS SDK for JavaScript reads the credentials `values` in the profile of `after` (updateProfile's)
 * only once its lone CRs (old Mac line ends), which it takes for no line break, are line breaks, as they are to
 * botocore, whom the file is written for: then it reads none of them, and the Go SDK neither.
 */
export function credentialsLostToLoneCr(after: Buffer, profile: string, values: Readonly<Record<string, string>>): boolean {
  if (!/\r(?!\n)/.test(after.toString('latin1'))) return false;
  const reads = (data: Buffer) => {
    const read = readAsJsSdk(data)?.get(profile);
    return Object.entries(values).every(([key, value]) => read?.get(key) === value);
  };
  return !reads(after) && reads(Buffer.from(after.toString('latin1').replace(/\r(?!\n)/g, '\n'), 'latin1'));
}
