import { describe, expect, it } from 'vitest';
import { fallbacksWithoutSts, parseFallbackFlag, withoutStsEndpoint } from '../../../src/cli/fallbackFlag.js';

const TA = 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/west';
const PROFILE = 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/west';
const FORMAT = '(expected trust-anchor-arn=ARN,profile-arn=ARN[,endpoint=URL][,sts-endpoint=URL])';

describe('a --fallback value', () => {
  it('gives the trust anchor, profile and endpoints, in any order', () => {
    expect(parseFallbackFlag(`trust-anchor-arn=${TA},profile-arn=${PROFILE}`)).toEqual({ trustAnchorArn: TA, profileArn: PROFILE });
    expect(parseFallbackFlag(`sts-endpoint=http://127.0.0.1:2, endpoint=http://127.0.0.1:1 ,profile-arn=${PROFILE},trust-anchor-arn=${TA}`)).toEqual({
      trustAnchorArn: TA,
      profileArn: PROFILE,
      endpoint: 'http://127.0.0.1:1',
      stsEndpoint: 'http://127.0.0.1:2',
    });
  });

  it.each([
    [`trust-anchor-arn=${TA}`, 'no profile-arn'],
    ['endpoint=http://x', 'no trust-anchor-arn or profile-arn'],
    [`trust-anchor-arn=${TA},profile-arn=${PROFILE},region=us-west-2`, 'unknown part "region"'],
    [`trust-anchor-arn=${TA},profile-arn=${PROFILE},trust-anchor-arn=${TA}`, 'trust-anchor-arn is given twice'],
    [`${TA},profile-arn=${PROFILE}`, `${JSON.stringify(TA)} is not key=value`],
    // Mutation QA: an empty value counted as given, a key of Object.prototype as known.
    [`trust-anchor-arn=,profile-arn=${PROFILE}`, 'no trust-anchor-arn'],
    [`trust-anchor-arn=${TA},profile-arn=${PROFILE},constructor=x`, 'unknown part "constructor"'],
  ])('%j is refused: %s', (text, cause) => {
    expect(() => parseFallbackFlag(text)).toThrow(`invalid argument ${JSON.stringify(text)} for "--fallback" flag: ${cause} ${FORMAT}`);
  });

  it.each([
    ['https://user:s3cr=t@host/', 'https://***@host/', 'unknown part "https://***@host/"'],
    ['url=https://user:s3cr=t@host/', '***@host/', 'unknown part "url"'],
    // Mutation QA: the cause quoted the part whole.
    ['https://user:s3cret@host/', 'https://***@host/', '"https://***@host/" is not key=value'],
  ])('an unknown part that holds a URL with a password is shown without it, however the password cuts it: %s', (part, shown, cause) => {
    const refusal = () => parseFallbackFlag(`trust-anchor-arn=${TA},profile-arn=${PROFILE},${part}`);
    expect(refusal).toThrow(`invalid argument "trust-anchor-arn=${TA},profile-arn=${PROFILE},${shown}" for "--fallback" flag: ${cause} ${FORMAT}`);
    expect(refusal).not.toThrow(/s3cr/);
  });

  it('is shown in a refusal without the user info of its URLs', () => {
    expect(() => parseFallbackFlag(`endpoint=https://me:s3cret@rolesanywhere.example.com,trust-anchor-arn=${TA}`)).toThrow(
      `invalid argument "endpoint=https://***@rolesanywhere.example.com,trust-anchor-arn=${TA}" for "--fallback" flag: no profile-arn ${FORMAT}`,
    );
  });
});

describe('a --fallback value without its sts-endpoint', () => {
  it('drops that part, however spaced, and keeps the rest as given, a part the parser will refuse too', () => {
    const parts = [`trust-anchor-arn=${TA}`, ' sts-endpoint =http://127.0.0.1:2', `profile-arn=${PROFILE}`, 'endpoint=http://127.0.0.1:1', 'no-equals'];
    expect(withoutStsEndpoint(parts.join(','))).toBe([parts[0], parts[2], parts[3], parts[4]].join(','));
    expect(parseFallbackFlag(withoutStsEndpoint(parts.slice(0, 4).join(',')))).toEqual({ trustAnchorArn: TA, profileArn: PROFILE, endpoint: 'http://127.0.0.1:1' });
  });
});

describe("the command line's --fallback values for a role that calls no STS", () => {
  const EAST_TA = 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/east';
  const EAST_PROFILE = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/east';
  const west = `trust-anchor-arn=${TA},profile-arn=${PROFILE}`;

  it('lose their STS endpoints, and those that then repeat the role or an earlier fallback', () => {
    const role = { trustAnchorArn: EAST_TA, profileArn: EAST_PROFILE };
    const values = [
      `trust-anchor-arn=${EAST_TA},profile-arn=${EAST_PROFILE},sts-endpoint=http://127.0.0.1:1`,
      `${west},sts-endpoint=http://127.0.0.1:2`,
      `${west},sts-endpoint=http://127.0.0.1:3`,
      `${west},endpoint=http://127.0.0.1:4`,
      'not a fallback',
    ];
    expect(fallbacksWithoutSts(values, role)).toEqual([west, `${west},endpoint=http://127.0.0.1:4`, 'not a fallback']);
    // The role's endpoint counts: the same trust anchor and profile at the default endpoint are another request.
    expect(fallbacksWithoutSts(values.slice(0, 1), { ...role, endpoint: 'http://127.0.0.1:5' })).toEqual([`trust-anchor-arn=${EAST_TA},profile-arn=${EAST_PROFILE}`]);
  });
});
