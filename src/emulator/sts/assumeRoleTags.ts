import { listMembers } from './queryParameters.js';
import { StsError } from './stsErrors.js';

const invalidParameterValue = (message: string) => new StsError(400, 'InvalidParameterValue', message);

/** The values of a query-protocol list's members (`Tags.member.2.Key`: `field` Key), in member order. */
function listValues(params: URLSearchParams, list: string, field = ''): string[] {
  return listMembers(params, list).flatMap(([, member]) => member[field] ?? []);
}

/** AssumeRole's session tags (`Tags.member.N.Key` and `.Value`), in member order. */
export function requestedTags(params: URLSearchParams): { key: string; value: string }[] {
  return listMembers(params, 'Tags').map(([, member]) => ({ key: member.Key ?? '', value: member.Value ?? '' }));
}

/**
 * AssumeRole's session tags against STS's rules for them (IAM User Guide, "Passing session tags in AWS
 * STS"): keys are unique whatever their case, every transitive key is one of the tags, and a transitive tag
 * of the calling session cannot be set again. Returns the new session's transitive tag keys: the caller's
 * and those the request adds.
 */
export function checkedTransitiveTagKeys(params: URLSearchParams, callerTransitive: readonly string[]): string[] {
  const keys = listValues(params, 'Tags', 'Key').map((key) => key.toLowerCase());
  if (new Set(keys).size !== keys.length) throw invalidParameterValue('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  const transitive = listValues(params, 'TransitiveTagKeys');
  if (transitive.some((key) => !keys.includes(key.toLowerCase()))) {
    throw invalidParameterValue('The specified transitive tag key must be included in the requested tags.');
  }
  const inherited = callerTransitive.map((key) => key.toLowerCase());
  if (keys.some((key) => inherited.includes(key))) {
    throw invalidParameterValue("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
  }
  return [...callerTransitive, ...transitive];
}
