import { isBlankPastAscii, trimBlanks } from '../../blanks.js';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';

/**
 * What Python takes for a blank in these lines (str.strip, \s in a pattern): space, tab, form feed,
 * vertical tab, the four separators, U+0085, U+00A0 and the other Unicode spaces (the text of a file of
 * UTF-8 is its characters, writeCredentialsFile; of another, its bytes as latin1, which botocore refuses in
 * a UTF-8 locale: 0xA0 is a no-break space in Windows' code page).
 */
const BLANK = '[ \\t\\f\\v\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const INDENT = new RegExp(`^${BLANK}*`);

const KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;
type CredentialKey = (typeof KEYS)[number];

/** The credentials by the keys the file holds them under. */
export function credentialValues(credentials: TemporaryCredentials): Record<CredentialKey, string> {
  return { aws_access_key_id: credentials.accessKeyId, aws_secret_access_key: credentials.secretAccessKey, aws_session_token: credentials.sessionToken };
}

/**
 * The shared credentials file with the profile's three credential keys set, and every other byte as it
 * was (the text is the file's characters, or its bytes as latin1, see BLANK): other profiles, comments, blank
 * lines, the profile's other keys (a last `region = ...` line included) and the line endings (CRLF stays
 * CRLF). The file is read as botocore reads it (see classify). Keys already there get their new value
 * in place, their name in lower case and `=` as their delimiter (see withValue), dropping the old value's continuation lines, which
 * would otherwise go on the new one; missing
 * ones go after the profile's last setting and its continuation lines; a missing profile is appended.
 * Every section of that name is updated (a file may hold the same section twice, and readers differ on
 * which one wins).
 */
export function updateProfile(text: string, profile: string, credentials: TemporaryCredentials): string {
  const values = credentialValues(credentials);
  const lines = splitLines(text);
  const eol = commonestEnding(lines);
  const kinds = classify(lines);
  const output: string[] = [];
  let found = false;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const kind = kinds[i]!;
    if (kind.type !== 'header' || kind.name !== profile) {
      output.push(line.content + line.ending);
      i++;
      continue;
    }
    found = true;
    output.push(line.content + (line.ending || eol));
    // The section runs to the next header (or the end of the file).
    let end = i + 1;
    while (end < lines.length && kinds[end]!.type !== 'header') end++;
    const seen = new Set<CredentialKey>();
    let insertAfter = i;
    // New keys are indented as the section's last setting, so that they are settings of their own and take
    // no line after them for their value; in a section without one, as the header that follows.
    let indent = end < lines.length ? indentOf(lines[end]!.content) : '';
    let dropping = false;
    const rewritten: string[] = [];
    for (let index = i + 1; index < end; index++) {
      const entry = lines[index]!;
      const entryKind = kinds[index]!;
      if (entryKind.type === 'continuation') {
        insertAfter = index;
        // An old credential value's continuation lines would go on the new value.
        rewritten.push(dropping ? '' : entry.content + entry.ending);
        continue;
      }
      if (entryKind.type !== 'option') {
        rewritten.push(entry.content + entry.ending);
        continue;
      }
      insertAfter = index;
      indent = indentOf(entry.content);
      const key = KEYS.find((candidate) => candidate === entryKind.key);
      dropping = key !== undefined;
      if (!key) {
        rewritten.push(entry.content + entry.ending);
        continue;
      }
      seen.add(key);
      rewritten.push(withValue(entry.content, key, values[key]) + entry.ending);
    }
    const missing = KEYS.filter((key) => !seen.has(key)).map((key) => `${indent}${key} = ${values[key]}${eol}`);
    const at = insertAfter - i; // in rewritten, the line after which the missing keys go (0: right after the header)
    if (at > 0 && !lines[insertAfter]!.ending && rewritten[at - 1] !== '') rewritten[at - 1] += eol;
    rewritten.splice(at, 0, ...missing);
    // Not push(...rewritten): a section of ~120,000 lines would pass more arguments than the stack holds.
    for (const text of rewritten) output.push(text);
    i = end;
  }
  if (!found) {
    // As the reference appends it: the header, the three keys, then an empty line.
    if (output.length > 0 && !lines.at(-1)!.ending) output.push(eol);
    output.push(`[${profile}]${eol}`, ...KEYS.map((key) => `${key} = ${values[key]}${eol}`), eol);
  }
  return output.join('');
}

interface Line {
  readonly content: string;
  /** `\n`, `\r\n`, or '' for a last line without one. */
  readonly ending: string;
}

/**
 * The line ending the file uses most (the first of those used as often, a lone CR last; `\n` in a file of one
 * line): the one its new lines get. Not merely its first line's: a lone CR that ends a first comment line (text
 * pasted from an old Mac file) gave the keys added to a file of LF lines lone CRs, which the AWS SDK for
 * JavaScript takes for no line break, reading the next key into the value before it, and the write was refused
 * for it (QA: leftovers2); nor a lone CR used as often as another (`# pasted\r[default]\n`), which gave them
 * lone CRs too, the credentials then hidden from the SDKs for Go and JavaScript by the helper's own lines (review17).
 */
function commonestEnding(lines: readonly Line[]): string {
  const counts = new Map<string, number>();
  for (const { ending } of lines) if (ending) counts.set(ending, (counts.get(ending) ?? 0) + 1);
  let commonest = '\n';
  let most = 0;
  for (const [ending, count] of counts) {
    if (count > most || (count === most && commonest === '\r')) [commonest, most] = [ending, count];
  }
  return commonest;
}

/** The file's lines, as Python reads a text file (universal newlines): each ends at `\r\n`, `\n` or a lone `\r`. */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  for (let match = pattern.exec(text); match && match.index < text.length; match = pattern.exec(text)) {
    lines.push({ content: match[1]!, ending: match[2]! });
  }
  return lines;
}

/** What a line is to botocore. */
type LineKind =
  | { readonly type: 'header'; readonly name: string }
  | { readonly type: 'option'; readonly key: string }
  | { readonly type: 'continuation' }
  /** Blank, a comment, or what botocore cannot read (it then refuses the file; left as it is). */
  | { readonly type: 'other' };

/**
 * Each line as botocore reads the file (Python's RawConfigParser: no inline comments, blank lines within
 * values): a line indented deeper than the setting before it, across blank and comment lines, continues
 * that setting's value, whatever it looks like (`  [default]` too); otherwise `[` starts a header whose name
 * runs to the line's last `]` (`[prod] - production` is profile "prod", `[ x ]` is " x "); otherwise a key
 * runs to the first `=` or `:`, its case and its surrounding blanks (see BLANK) not counting.
 */
function classify(lines: readonly Line[]): LineKind[] {
  let inSection = false;
  let inOption = false;
  let optionIndent = 0;
  return lines.map(({ content }): LineKind => {
    const stripped = trimBlanks(content, isBlank);
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) return { type: 'other' };
    const indent = indentOf(content).length;
    // inOption: only a section holds settings.
    if (inOption && indent > optionIndent) return { type: 'continuation' };
    optionIndent = indent;
    const header = /^\[([^]+)\]/.exec(stripped); // any character: Python's . is all but \n, which no line holds
    if (header) {
      inSection = true;
      inOption = false;
      return { type: 'header', name: header[1]! };
    }
    const key = inSection ? settingKey(stripped) : undefined;
    if (!key) return { type: 'other' };
    inOption = true;
    return { type: 'option', key: key.toLowerCase() };
  });
}

/**
 * A setting's key in a line stripped of its blanks: up to the first `=` or `:`, less the blanks before it; undefined
 * without either. By index, as trimBlanks goes, for the same reason (a pattern for the blanks before `=`).
 */
function settingKey(stripped: string): string | undefined {
  const delimiter = stripped.search(/[=:]/);
  if (delimiter === -1) return undefined;
  let end = delimiter;
  while (end > 0 && isBlank(stripped.charCodeAt(end - 1))) end--;
  return stripped.slice(0, end);
}

/**
 * A credential's line with another value: the key in lower case (botocore and the Go SDK v2 read it in any
 * case, the JavaScript, Ruby and Go v1 SDKs only so), the blanks around it as they were, `=` for the first
 * `=` or `:` (the JavaScript SDK reads no key set with `:`: QA, fuzzing), the blanks after it as they were, then the value, in place of the rest of the line, whatever it holds (review:
 * a pattern left a value holding U+2028, which botocore reads as part of it, as it was, and went back over
 * the line for it).
 */
function withValue(line: string, key: CredentialKey, value: string): string {
  const start = indentOf(line).length;
  const delimiter = line.search(/[=:]/);
  let end = delimiter + 1;
  while (end < line.length && isBlank(line.charCodeAt(end))) end++;
  return line.slice(0, start) + key + line.slice(start + key.length, delimiter) + '=' + line.slice(delimiter + 1, end) + value;
}

/** Whether a character is one of BLANK's. */
function isBlank(code: number): boolean {
  if (code < 0x80) return code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c || (code >= 0x1c && code <= 0x1f);
  return isBlankPastAscii(code);
}

function indentOf(line: string): string {
  return INDENT.exec(line)![0];
}
