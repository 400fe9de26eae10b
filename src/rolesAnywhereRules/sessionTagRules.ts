/** A session tag, as AssumeRole and Roles Anywhere's certificate mapping make them. */
export interface SessionTag {
  readonly key: string;
  readonly value: string;
}

/** STS's rules for session tags (API_Tag): at most 50, keys of 1–128 and values of 0–256 of these characters. */
export const MAX_SESSION_TAGS = 50;
const MAX_LENGTH = { key: 128, value: 256 } as const;
const TAG_CHARACTER = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;

/** A way a tag's key or value breaks STS's rules: too long (in characters), or with characters outside its alphabet. */
export type TagFault =
  | { readonly part: 'key' | 'value'; readonly length: number; readonly maxLength: number }
  | { readonly part: 'key' | 'value'; readonly refused: readonly string[] };

/** What STS would refuse in a tag: lengths first (key, value), then characters (key, value); empty when it takes it. */
export function tagFaults(tag: SessionTag): TagFault[] {
  const faults: TagFault[] = [];
  for (const part of ['key', 'value'] as const) {
    const length = [...tag[part]].length;
    if (length > MAX_LENGTH[part]) faults.push({ part, length, maxLength: MAX_LENGTH[part] });
  }
  for (const part of ['key', 'value'] as const) {
    const refused = charactersOutside(tag[part], TAG_CHARACTER);
    if (refused.length > 0) faults.push({ part, refused });
  }
  return faults;
}

/** The characters of `text` that `allowed` does not match, each once, in the order they first appear. */
export function charactersOutside(text: string, allowed: RegExp): string[] {
  return [...new Set([...text].filter((char) => !allowed.test(char)))];
}

/** What STS would refuse in a tag, in words: `the tag key k( has characters a tag key cannot have`. */
export function describeTagFault({ key, value }: SessionTag, fault: TagFault): string {
  // A key with a control character is quoted: printed as it is, a newline read as a space (QA).
  const shownKey = /\p{C}/u.test(key) ? JSON.stringify(key) : key;
  const named = fault.part === 'key' ? `the tag key ${shownKey}` : `the value of ${shownKey}`;
  if ('refused' in fault) {
    return `${fault.part === 'key' ? named : `${named}, ${JSON.stringify(value)},`} has characters a tag ${fault.part} cannot have`;
  }
  return `${named} is longer than ${fault.maxLength} characters`;
}
