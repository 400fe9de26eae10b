import { HelperError, reasonOf } from '../errors.js';
import { option } from '../optionNames.js';
import { describeTagFault, MAX_SESSION_TAGS, tagFaults, type SessionTag } from '../rolesAnywhereRules/sessionTagRules.js';
import { checkedRoleSessionName, requireArn } from '../session/sessionConfig.js';
import { MIN_SESSION_DURATION } from '../session/sessionDurations.js';
import { CHAINING_OPTIONS, MAX_CHAINED_DURATION } from './chainingOptions.js';

/** What the caller asked of role chaining, as given (flags, or the library's options). */
export interface AssumeRoleInputs {
  readonly assumeRoleArn?: string | undefined;
  readonly assumeRoleSessionName?: string | undefined;
  readonly externalId?: string | undefined;
  readonly assumeRoleDurationSeconds?: number | undefined;
  /** Session tags of the chained session, key to value. */
  readonly assumeRoleTags?: Readonly<Record<string, string>> | undefined;
  /** Which of those tags carry on into sessions chained from it. */
  readonly assumeRoleTransitiveTagKeys?: readonly string[] | undefined;
}

/** A checked AssumeRole request, made with the Roles Anywhere session's credentials. */
export interface AssumeRoleConfig {
  readonly roleArn: string;
  /** undefined: derived from each Roles Anywhere session's name. */
  readonly roleSessionName: string | undefined;
  readonly externalId: string | undefined;
  readonly durationSeconds: number;
  readonly tags: readonly SessionTag[];
  readonly transitiveTagKeys: readonly string[];
}

/** STS's rule for external IDs. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * The chained role's request, checked before anything is sent; undefined when no role is to be assumed
 * (and then none of the other chaining options may be given), but an empty role is refused, not taken as
 * none. `partition` is the trust anchor's: the role must be in it, since STS there issues the chained
 * credentials.
 */
export function resolveAssumeRoleConfig(inputs: AssumeRoleInputs, partition: string): AssumeRoleConfig | undefined {
  if (inputs.assumeRoleArn === undefined) {
    const stray = CHAINING_OPTIONS.find((name) => inputs[name] !== undefined);
    if (stray) throw new HelperError(`${option(stray)} needs ${option('assumeRoleArn')}: it is an option of role chaining`);
    return undefined;
  }
  // Not taken as not given (the reference's rule for its own options): a variable that came out empty
  // would hand out the Roles Anywhere role's credentials to a caller who asked for another role's.
  if (inputs.assumeRoleArn === '') {
    throw new HelperError(`invalid ${option('assumeRoleArn')} "": it names no role to chain into (leave it out for the Roles Anywhere role's own credentials)`);
  }
  let arn;
  try {
    arn = requireArn(inputs.assumeRoleArn, 'role', 'assumeRoleArn', 'iam', 'role/');
  } catch (error) {
    // A message that names the option already is not prefixed with it again.
    throw reasonOf(error).includes(option('assumeRoleArn')) ? error : new HelperError(`invalid ${option('assumeRoleArn')}: ${reasonOf(error)}`);
  }
  if (arn.partition !== partition) {
    throw new HelperError(
      `invalid ${option('assumeRoleArn')} "${inputs.assumeRoleArn}": the role is in the ${arn.partition} partition, the trust anchor in ` +
        `${partition} (STS chains only within a partition)`,
    );
  }

  const durationSeconds = inputs.assumeRoleDurationSeconds ?? MAX_CHAINED_DURATION;
  if (Number.isInteger(durationSeconds) && durationSeconds > MAX_CHAINED_DURATION) {
    throw new HelperError(
      `invalid ${option('assumeRoleDurationSeconds')} ${durationSeconds}: AWS caps a chained role session at ${MAX_CHAINED_DURATION} ` +
        'seconds (one hour), and STS refuses more',
    );
  }
  if (!Number.isInteger(durationSeconds) || durationSeconds < MIN_SESSION_DURATION) {
    throw new HelperError(
      `invalid ${option('assumeRoleDurationSeconds')} ${durationSeconds}: it must be a whole number of seconds between ${MIN_SESSION_DURATION} and ${MAX_CHAINED_DURATION}`,
    );
  }

  // Empty is refused too: an unset variable would send no external ID (STS's AccessDenied) or a name of the helper's.
  if (inputs.assumeRoleSessionName === '') throw new HelperError(`invalid ${option('assumeRoleSessionName')} "": it is empty (leave it out for a name of the helper's)`);
  if (inputs.externalId === '') throw new HelperError(`invalid ${option('externalId')} "": it is empty (leave it out when the role asks for none)`);
  const roleSessionName = checkedRoleSessionName(inputs.assumeRoleSessionName, 'assumeRoleSessionName');
  const { externalId } = inputs;
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw new HelperError(`invalid ${option('externalId')}: it must be 2 to 1224 characters from ASCII letters, digits and +=,.@:/_-`);
  }
  const { tags, transitiveTagKeys } = checkedTags(inputs);
  return { roleArn: inputs.assumeRoleArn, roleSessionName, externalId, durationSeconds, tags, transitiveTagKeys };
}

/**
 * The chained session's tags, checked by STS's rules (API_Tag; IAM User Guide, "Passing session tags in AWS
 * STS"): at most 50, keys of 1 to 128 and values of up to 256 of its characters, keys unique whatever their
 * case, every transitive key one of the tags. (STS also refuses tags the session they are made with passes
 * on, and tags over its packed size: those only it can tell.)
 */
function checkedTags(inputs: AssumeRoleInputs): Pick<AssumeRoleConfig, 'tags' | 'transitiveTagKeys'> {
  const tags = Object.entries(inputs.assumeRoleTags ?? {}).map(([key, value]) => ({ key, value }));
  const seen = new Map<string, string>();
  for (const tag of tags) {
    const [fault] = tagFaults(tag);
    if (tag.key === '') throw new HelperError(`invalid ${option('assumeRoleTags')}: a tag key is empty`);
    if (fault) throw new HelperError(`invalid ${option('assumeRoleTags')}: ${describeTagFault(tag, fault)}`);
    if (tag.key.toLowerCase().startsWith('aws:')) throw new HelperError(`invalid ${option('assumeRoleTags')}: the tag key ${tag.key} starts with aws:, which AWS keeps for its own`);
    const same = seen.get(tag.key.toLowerCase());
    if (same !== undefined) throw new HelperError(`invalid ${option('assumeRoleTags')}: the keys ${same} and ${tag.key} are one to STS, which takes tag keys whatever their case`);
    seen.set(tag.key.toLowerCase(), tag.key);
  }
  if (tags.length > MAX_SESSION_TAGS) throw new HelperError(`invalid ${option('assumeRoleTags')}: ${tags.length} tags, more than the ${MAX_SESSION_TAGS} STS takes`);
  const given = inputs.assumeRoleTransitiveTagKeys ?? [];
  const untagged = given.find((key) => !seen.has(key.toLowerCase()));
  if (untagged !== undefined) {
    throw new HelperError(`invalid ${option('assumeRoleTransitiveTagKeys')} ${JSON.stringify(untagged)}: it is not one of the tags given with ${option('assumeRoleTags')}`);
  }
  // Each as its tag spells it, once: STS takes keys whatever their case.
  const transitiveTagKeys = [...new Set(given.map((key) => seen.get(key.toLowerCase())!))];
  return { tags, transitiveTagKeys };
}
