import type { TemporaryCredentials } from '../../temporaryCredentials.js';

const KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;
type CredentialKey = (typeof KEYS)[number];

/**
 * The shared credentials file with the profile's three credential keys set, and every other byte as it
 * was (the text may be the file's bytes as latin1: only ASCII is looked at, and only space and tab count
 * as blanks, so that no byte of a UTF-8 character is taken for one): other profiles, comments, blank lines, the profile's other keys (a last `region = ...` line
 * included) and the line endings (CRLF stays CRLF). The file is read as botocore reads it: a key is
 * followed by `=` or `:` and its case does not matter, a line indented deeper than a setting continues its
 * value, and a section's name is all that is between the brackets. Keys already there get their new value
 * in place (dropping the old value's continuation lines, which would otherwise go on the new one); missing
 * ones go after the profile's last setting and its continuation lines; a missing profile is appended.
 * Every section of that name is updated (a file may hold the same section twice, and readers differ on
 * which one wins).
 */
export function updateProfile(text: string, profile: string, credentials: TemporaryCredentials): string {
  const values: Record<CredentialKey, string> = {
    aws_access_key_id: credentials.accessKeyId,
    aws_secret_access_key: credentials.secretAccessKey,
    aws_session_token: credentials.sessionToken,
  };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = splitLines(text);
  const output: string[] = [];
  let found = false;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (sectionName(line.content) !== profile) {
      output.push(line.content + line.ending);
      i++;
      continue;
    }
    found = true;
    output.push(line.content + (line.ending || eol));
    // The section runs to the next header (or the end of the file).
    let end = i + 1;
    while (end < lines.length && sectionName(lines[end]!.content) === undefined) end++;
    const body = lines.slice(i + 1, end);
    const seen = new Set<CredentialKey>();
    let insertAfter = -1;
    // Continuation lines of an old credential value, which go with it.
    const dropped = new Set<number>();
    body.forEach((entry, index) => {
      if (!isSetting(entry.content) || dropped.has(index)) return;
      const continuation = continuationOf(body, index);
      insertAfter = continuation.at(-1) ?? index;
      if (credentialKey(entry.content)) for (const line of continuation) dropped.add(line);
    });
    const rewritten = body.map((entry, index) => {
      if (dropped.has(index)) return '';
      const key = credentialKey(entry.content);
      if (!key) return entry.content + entry.ending;
      seen.add(key);
      // The delimiter and the blanks after it stay as they were. A function, not a string: `$&`, `$'` and
      // `$$` in a secret are not replacement patterns.
      return entry.content.replace(/([=:][ \t]*).*$/, (_, kept: string) => `${kept}${values[key]}`) + entry.ending;
    });
    const missing = KEYS.filter((key) => !seen.has(key)).map((key) => `${key} = ${values[key]}${eol}`);
    if (insertAfter >= 0 && !body[insertAfter]!.ending && !dropped.has(insertAfter)) rewritten[insertAfter] += eol;
    rewritten.splice(insertAfter + 1, 0, ...missing);
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

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\n]*?)(\r?\n|$)/g;
  for (let match = pattern.exec(text); match && match.index < text.length; match = pattern.exec(text)) {
    lines.push({ content: match[1]!, ending: match[2]! });
    if (!match[2]) break;
  }
  return lines;
}

/**
 * `[name]`, with blanks around it and a comment after it tolerated: the name is everything between the
 * brackets, spaces included, as botocore and the AWS SDK for JavaScript read it (`[ x ]` is profile " x ").
 */
function sectionName(line: string): string | undefined {
  return /^[ \t]*\[([^\]]*)\][ \t]*(?:[#;].*)?$/.exec(line)?.[1];
}

/** `key = value` or `key: value`, indented or not (botocore takes both delimiters). */
function isSetting(line: string): boolean {
  return /^[ \t]*[^ \t#;=:][^=:]*[=:]/.test(line);
}

/**
 * The indexes of the lines that continue the setting at `index`, as botocore reads them: lines indented
 * deeper than it, across blank and comment lines, up to the first line that is none of these.
 */
function continuationOf(body: readonly Line[], index: number): number[] {
  const indent = indentOf(body[index]!.content);
  const continuation: number[] = [];
  for (let next = index + 1; next < body.length; next++) {
    const line = body[next]!.content;
    if (/^[ \t]*(?:[#;]|$)/.test(line)) continue;
    if (indentOf(line) <= indent) break;
    continuation.push(next);
  }
  return continuation;
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}

/** The credential key a line sets, whatever its case (botocore lower-cases keys). */
function credentialKey(line: string): CredentialKey | undefined {
  const key = /^[ \t]*([A-Za-z_]+)[ \t]*[=:]/.exec(line)?.[1]?.toLowerCase();
  return KEYS.find((candidate) => candidate === key);
}
