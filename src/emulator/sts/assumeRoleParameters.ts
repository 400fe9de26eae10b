import { constraintViolations, type ParameterRule } from '../parameterConstraints.js';
import { listMembers } from './queryParameters.js';

const TAG_KEY = { minLength: 1, maxLength: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' };
const NAME = '[\\w+=,.@-]*';

/** AssumeRole's string parameters in STS's model: [parameter, minimum and maximum length, pattern]. */
const STRINGS: readonly (readonly [string, number, number, string?])[] = [
  ['RoleArn', 20, 2048],
  ['Policy', 1, 2048, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+'],
  ['RoleSessionName', 2, 64, NAME],
  ['ExternalId', 2, 1224, '[\\w+=,.@:\\/-]*'],
  ['SerialNumber', 9, 256, '[\\w+=/:,.@-]*'],
  ['TokenCode', 6, 6, '[\\d]*'],
  ['SourceIdentity', 2, 64, NAME],
];

/** A parameter's name as STS's messages give it: `ProviderArn`, `providerArn`. */
const lowerFirst = (name: string) => name[0]!.toLowerCase() + name.slice(1);

/**
 * A list parameter as the query protocol sends it (`Tags.member.2.Key`), checked as STS checks it: at most
 * `maxItems` members, each member's fields by `rules` (named `tags.2.member.key` in messages).
 */
function listRules(params: URLSearchParams, list: string, maxItems: number, rules: Record<string, Omit<ParameterRule, 'name' | 'value'>>): ParameterRule[] {
  const members = listMembers(params, list);
  const name = lowerFirst(list);
  return [
    { name, value: undefined, items: members.length, maxItems },
    ...members.flatMap(([n, member]) =>
        Object.entries(rules).map(([field, rule]) => ({ ...rule, name: `${name}.${n}.member${field && `.${lowerFirst(field)}`}`, value: member[field] })),
      ),
  ];
}

/**
 * AssumeRole's parameters against STS's model (and its documented limits: 10 policy ARNs, 50 tags, 5 provided contexts), worded
 * as STS words a ValidationError; undefined when all hold.
 */
export function assumeRoleViolations(params: URLSearchParams): string | undefined {
  return constraintViolations([
    ...STRINGS.map(([parameter, minLength, maxLength, pattern]): ParameterRule => ({
      name: lowerFirst(parameter),
      value: params.get(parameter) ?? undefined,
      required: parameter === 'RoleArn' || parameter === 'RoleSessionName',
      minLength,
      maxLength,
      pattern,
      // An MFA code: what the emulator refuses, it logs.
      secret: parameter === 'TokenCode',
    })),
    { name: 'durationSeconds', value: params.get('DurationSeconds') ?? undefined, min: 900, max: 43200 },
    ...listRules(params, 'PolicyArns', 10, { arn: { minLength: 20, maxLength: 2048 } }),
    ...listRules(params, 'Tags', 50, { Key: { ...TAG_KEY, required: true }, Value: { maxLength: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*', required: true } }),
    ...listRules(params, 'TransitiveTagKeys', 50, { '': TAG_KEY }),
    // Trusted identity propagation's context assertions: held to the model's bounds, not verified. An assertion
    // is a signed token of someone's identity: not echoed, as the emulator logs what it refuses.
    ...listRules(params, 'ProvidedContexts', 5, { ProviderArn: { minLength: 20, maxLength: 2048 }, ContextAssertion: { minLength: 4, maxLength: 2048, secret: true } }),
  ]);
}

/** STS's packed budget for session policies and tags, in characters: an estimate, the real packing is not public. */
const PACKED_BUDGET = 2048;

/** The share of the packed budget the session policies and tags take, in percent; undefined when there are none. */
export function packedPolicySize(params: URLSearchParams): number | undefined {
  const packed = [...params].filter(([name]) => name === 'Policy' || /^(PolicyArns|Tags)\.member\.\d+\./.test(name));
  if (packed.length === 0) return undefined;
  const size = packed.reduce((total, [, value]) => total + value.length, 0);
  return Math.max(1, Math.ceil((size * 100) / PACKED_BUDGET));
}
