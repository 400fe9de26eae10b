import { describeTagFault, MAX_SESSION_TAGS, tagFaults, type SessionTag } from '../rolesAnywhereRules/sessionTagRules.js';

/**
 * Why the certificate's attributes cannot all become session tags (rolesAnywhereRules/sessionTags.ts makes
 * them and holds STS's rules for them, as `check` reports them), or undefined when they can: the first tag
 * STS would refuse, else too many tags.
 */
export function sessionTagProblem(tags: readonly SessionTag[]): string | undefined {
  for (const tag of tags) {
    const [fault] = tagFaults(tag);
    if (fault) return describeTagFault(tag, fault);
  }
  if (tags.length > MAX_SESSION_TAGS) return `${tags.length} tags, more than ${MAX_SESSION_TAGS}`;
  return undefined;
}
