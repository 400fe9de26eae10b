import { MAX_SESSION_TAGS, tagFaults, type SessionTag, type TagFault } from '../rolesAnywhereRules/sessionTagRules.js';
import { fail, pass, type Finding } from './findings.js';
import { quoted } from './refusedCharacters.js';

/** A finding for each tag STS would be sent (rolesAnywhereRules/sessionTags.ts makes them), and one for their number. */
export function sessionTagFindings(tags: readonly SessionTag[]): Finding[] {
  const findings = tags.map(tagFinding);
  findings.push(
    tags.length > MAX_SESSION_TAGS
      ? fail('sessionTagCount', `${tags.length} session tags: STS accepts at most ${MAX_SESSION_TAGS} (a profile's attribute mapping can map fewer attributes)`)
      : pass('sessionTagCount', `${tags.length} session tags (STS accepts at most ${MAX_SESSION_TAGS})`),
  );
  return findings;
}

function tagFinding(tag: SessionTag): Finding {
  const shown = `session tag ${tag.key} = ${JSON.stringify(tag.value)}`;
  const problems = tagFaults(tag).map(faultText);
  if (problems.length > 0) return fail('sessionTag', `${shown}: ${problems.join('; ')}`, { tag });
  return pass('sessionTag', shown, { tag });
}

function faultText(fault: TagFault): string {
  if ('refused' in fault) return `STS refuses ${quoted(fault.refused)} in tag ${fault.part}s`;
  return `its ${fault.part} has ${fault.length} characters, over STS's ${fault.maxLength}`;
}
