import { MAX_SESSION_TAGS, tagFaults, type SessionTag, type TagFault } from '../rolesAnywhereRules/sessionTags.js';

/**
 * Why the certificate's attributes cannot all become session tags (rolesAnywhereRules/sessionTags.ts makes
 * them and holds STS's rules for them, as `check` reports them), or undefined when they can: the first tag
 * STS would refuse, else too many tags.
 */
export function sessionTagProblem(tags: readonly SessionTag[]): string | undefined {
  for (const tag of tags) {
    const [fault] = tagFaults(tag);
    if (fault) return faultText(tag, fault);
  }
  if (tags.length > MAX_SESSION_TAGS) return `${tags.length} tags, more than ${MAX_SESSION_TAGS}`;
  return undefined;
}

function faultText({ key, value }: SessionTag, fault: TagFault): string {
  const named = fault.part === 'key' ? `the tag key ${key}` : `the value of ${key}`;
  if ('refused' in fault) {
    return `${fault.part === 'key' ? named : `${named}, ${JSON.stringify(value)},`} has characters a tag ${fault.part} cannot have`;
  }
  return `${named} is longer than ${fault.maxLength} characters`;
}
