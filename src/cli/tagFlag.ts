import { UsageError } from '../errors.js';

/**
 * The --assume-role-tag values, `KEY=VALUE` each (the key ends at the first `=`; the value may be empty or
 * hold more), as the tags they give, in order. A key given twice is refused rather than one of its values
 * dropped. The tags are checked by STS's rules below the CLI. A refusal names the flag as pflag does, or,
 * given `item`, the setting (a roles file's `"assume-role-tag"`).
 */
export function parseTagFlags(values: readonly string[], item?: string): Record<string, string> {
  // No prototype: `__proto__` is a tag key like any other (review: it was dropped).
  const tags: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const text of values) {
    const invalid = (cause: string) =>
      new UsageError(`${item ? `invalid ${item} ${JSON.stringify(text)}` : `invalid argument ${JSON.stringify(text)} for "--assume-role-tag" flag`}: ${cause}`);
    const equals = text.indexOf('=');
    if (equals < 0) throw invalid('it is not KEY=VALUE');
    const key = text.slice(0, equals);
    if (Object.hasOwn(tags, key)) throw invalid(`the key ${key} is given twice`);
    tags[key] = text.slice(equals + 1);
  }
  return tags;
}
