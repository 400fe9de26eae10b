import type { Tag } from './records.js';
import type { StringRules } from './stringRules.js';

/** The most tags a resource may have (the API's TagList); TagResource past it is a TooManyTagsException. */
export const MAX_TAGS = 200;

const TAG_TEXT = /^[ a-zA-Z0-9_.:/=+@-]*$/;
/** A tag's key and value as the API's model constrains them (TagKey, TagValue), in a request's `tags` and the options' alike. */
export const TAG_KEY = { minLength: 1, maxLength: 128, pattern: TAG_TEXT } as const satisfies StringRules;
export const TAG_VALUE = { maxLength: 256, pattern: TAG_TEXT } as const satisfies StringRules;

/**
 * The tags of the account's resources, by ARN: those given when each was made, changed by TagResource and
 * UntagResource, dropped with the resource. Keys are case-sensitive; a key given again takes the value given
 * last and keeps its place in the list.
 */
export class ResourceTags {
  readonly #byArn = new Map<string, Map<string, string>>();

  /** A resource's tags, in the order their keys were first given. */
  list(arn: string): Tag[] {
    return [...(this.#byArn.get(arn) ?? [])].map(([key, value]) => ({ key, value }));
  }

  /** How many tags a resource would have with these added. */
  countAfter(arn: string, tags: readonly Tag[]): number {
    const keys = new Set(this.#byArn.get(arn)?.keys());
    for (const { key } of tags) keys.add(key);
    return keys.size;
  }

  add(arn: string, tags: readonly Tag[]): void {
    if (tags.length === 0) return;
    const held = this.#byArn.get(arn) ?? new Map<string, string>();
    for (const { key, value } of tags) held.set(key, value);
    this.#byArn.set(arn, held);
  }

  /** Removes the tags of these keys; a key the resource has no tag of is passed over. */
  remove(arn: string, keys: readonly string[]): void {
    const held = this.#byArn.get(arn);
    for (const key of keys) held?.delete(key);
    if (held?.size === 0) this.#byArn.delete(arn);
  }

  /** Forgets a deleted resource's tags: another made later never has them. */
  drop(arn: string): void {
    this.#byArn.delete(arn);
  }
}
