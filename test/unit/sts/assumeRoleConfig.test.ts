import { describe, expect, it } from 'vitest';
import { resolveAssumeRoleConfig, type AssumeRoleInputs } from '../../../src/sts/assumeRoleConfig.js';
import { refusalOf } from '../../support/refusal.js';

const ROLE = 'arn:aws:iam::210987654321:role/deploy';

const refusal = (inputs: AssumeRoleInputs, partition = 'aws') => refusalOf(() => resolveAssumeRoleConfig(inputs, partition));

describe('the chained role\'s request', () => {
  it('defaults to an hour and a session name derived later, and takes what is given', () => {
    expect(resolveAssumeRoleConfig({ assumeRoleArn: ROLE }, 'aws')).toEqual({
      roleArn: ROLE, roleSessionName: undefined, externalId: undefined, durationSeconds: 3600, tags: [], transitiveTagKeys: [],
    });
    const given = { assumeRoleSessionName: 'build-7', externalId: 'partner:7/x', assumeRoleDurationSeconds: 900, assumeRoleTags: { Team: 'a b', 'x:y': '' }, assumeRoleTransitiveTagKeys: ['team'] };
    expect(resolveAssumeRoleConfig({ assumeRoleArn: ROLE, ...given }, 'aws')).toEqual({
      roleArn: ROLE,
      roleSessionName: 'build-7',
      externalId: 'partner:7/x',
      durationSeconds: 900,
      tags: [{ key: 'Team', value: 'a b' }, { key: 'x:y', value: '' }],
      transitiveTagKeys: ['Team'],
    });
  });

  it('sends each transitive key as its tag spells it, once, and refuses keys AWS keeps for its own (review)', () => {
    const tagged = resolveAssumeRoleConfig({ assumeRoleArn: ROLE, assumeRoleTags: { Team: 'a' }, assumeRoleTransitiveTagKeys: ['team', 'TEAM'] }, 'aws');
    expect(tagged).toMatchObject({ tags: [{ key: 'Team', value: 'a' }], transitiveTagKeys: ['Team'] });
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleTags: { 'AWS:team': 'a' } })).toBe('invalid --assume-role-tag: the tag key AWS:team starts with aws:, which AWS keeps for its own');
  });

  it('is none without a role, and then the other chaining options are mistakes', () => {
    expect(resolveAssumeRoleConfig({}, 'aws')).toBeUndefined();
    expect(refusal({ assumeRoleDurationSeconds: 900 })).toBe('--assume-role-duration needs --assume-role-arn: it is an option of role chaining');
    expect(refusal({ assumeRoleSessionName: 'x1' })).toBe('--assume-role-session-name needs --assume-role-arn: it is an option of role chaining');
  });

  it('refuses more than the hour AWS allows a chained session, naming the cap, and less than 900 seconds', () => {
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleDurationSeconds: 7200 })).toBe(
      'invalid --assume-role-duration 7200: AWS caps a chained role session at 3600 seconds (one hour), and STS refuses more',
    );
    // A second over (mutation QA: the cap's own check let 3601 through, and the range check below says nothing of the top).
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleDurationSeconds: 3601 })).toBe(
      'invalid --assume-role-duration 3601: AWS caps a chained role session at 3600 seconds (one hour), and STS refuses more',
    );
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleDurationSeconds: 899 })).toBe('invalid --assume-role-duration 899: it must be a whole number of seconds between 900 and 3600');
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleDurationSeconds: 1000.5 })).toBe('invalid --assume-role-duration 1000.5: it must be a whole number of seconds between 900 and 3600');
  });

  it('refuses what is not a role ARN, and a role in another partition than the trust anchor\'s', () => {
    expect(refusal({ assumeRoleArn: 'arn:aws:iam::210987654321:user/deploy' })).toBe(
      'invalid --assume-role-arn: failed to parse role arn "arn:aws:iam::210987654321:user/deploy": not a role ARN (expected arn:<partition>:iam::<account>:role/<id>)',
    );
    expect(refusal({ assumeRoleArn: ROLE }, 'aws-cn')).toBe(
      `invalid --assume-role-arn "${ROLE}": the role is in the aws partition, the trust anchor in aws-cn (STS chains only within a partition)`,
    );
  });

  it('refuses an empty role rather than taking it as none, which would hand out the Roles Anywhere role\'s credentials', () => {
    const empty = 'invalid --assume-role-arn "": it names no role to chain into (leave it out for the Roles Anywhere role\'s own credentials)';
    expect(refusal({ assumeRoleArn: '' })).toBe(empty);
    expect(refusal({ assumeRoleArn: '', externalId: 'partner-7' })).toBe(empty);
    // Nor an empty external ID or session name, which an unset variable leaves (QA: STS then said AccessDenied).
    expect(refusal({ assumeRoleArn: ROLE, externalId: '' })).toBe('invalid --external-id "": it is empty (leave it out when the role asks for none)');
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleSessionName: '' })).toBe('invalid --assume-role-session-name "": it is empty (leave it out for a name of the helper\'s)');
  });

  it.each([
    ['arn:aws:iam::12345:role/deploy', 'its account "12345" is not the 12 digits of an AWS account'],
    ['arn:aws:iam:us-east-1:210987654321:role/deploy', 'it names the Region "us-east-1", which a role ARN, IAM\'s, never does (arn:<partition>:iam::<account>:role/<name>)'],
    ['arn:aws:iam:::role/deploy', 'its account "" is not the 12 digits of an AWS account'],
    ['arn:aws:iam::2109876543210:role/deploy', 'its account "2109876543210" is not the 12 digits of an AWS account'],
    ['arn:aws:iam::210987654321:role/ünïcode', 'its role name "ünïcode" is not 1 to 64 ASCII letters, digits and +=,.@_- (IAM\'s rule for role names)'],
    ['arn:aws:iam::210987654321:role/a:b', 'its role name "a:b" is not 1 to 64 ASCII letters, digits and +=,.@_- (IAM\'s rule for role names)'],
    [`arn:aws:iam::210987654321:role/${'a'.repeat(65)}`, `its role name "${'a'.repeat(65)}" is not 1 to 64 ASCII letters, digits and +=,.@_- (IAM's rule for role names)`],
    ['arn:aws:iam::210987654321:role//deploy', 'its path "//" is not / or /…/ of at most 512 printable ASCII characters (IAM\'s rule for paths)'],
    ['arn:aws:iam::210987654321:role/ü/deploy', 'its path "/ü/" is not / or /…/ of at most 512 printable ASCII characters (IAM\'s rule for paths)'],
    [`arn:aws:iam::210987654321:role/${'p'.repeat(511)}/deploy`, `its path "/${'p'.repeat(511)}/" is not / or /…/ of at most 512 printable ASCII characters (IAM's rule for paths)`],
  ])('refuses %j, which IAM could not have made, before anything is sent', (assumeRoleArn, reason) => {
    expect(refusal({ assumeRoleArn })).toBe(`invalid --assume-role-arn ${JSON.stringify(assumeRoleArn)}: ${reason}`);
  });

  it('refuses a role ARN longer than STS takes without echoing it, and names the option once', () => {
    expect(refusal({ assumeRoleArn: `arn:aws:iam::210987654321:role/${'a'.repeat(3000)}` })).toBe('invalid --assume-role-arn: it is 3031 characters long, and a role ARN at most 2048');
    // 2048 characters are within STS's limit: not "2048 characters long, and a role ARN at most 2048" (mutation QA).
    const longest = `arn:aws:iam::210987654321:role/${'a'.repeat(2017)}`;
    expect(refusal({ assumeRoleArn: longest })).toBe(
      `invalid --assume-role-arn ${JSON.stringify(longest)}: its role name "${'a'.repeat(2017)}" is not 1 to 64 ASCII letters, digits and +=,.@_- (IAM's rule for role names)`,
    );
    expect(refusal({ assumeRoleArn: 'arn:aws:iam::210987654321:role/a b' })).toBe(
      'invalid --assume-role-arn "arn:aws:iam::210987654321:role/a b": ARNs hold no whitespace or control characters',
    );
  });

  it.each(['arn:aws:iam::210987654321:role/a', 'arn:aws:iam::210987654321:role/ci/deploy', `arn:aws:iam::210987654321:role/p!~"#/q/${'w'.repeat(64)}`, 'arn:aws:iam::210987654321:role/ci//deploy', 'arn:aws:iam::210987654321:role/x+=,.@_-y'])(
    'takes %j, a role IAM can make',
    (assumeRoleArn) => {
      expect(resolveAssumeRoleConfig({ assumeRoleArn }, 'aws')?.roleArn).toBe(assumeRoleArn);
    },
  );

  it('refuses session names and external IDs STS would refuse', () => {
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleSessionName: 'has space' })).toBe(
      'invalid --assume-role-session-name "has space": it must be 2 to 64 characters from ASCII letters, digits and +=,.@_-',
    );
    // A newline (a Secret's file) is shown as one, not as the space a log line would fold it into (QA).
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleSessionName: 'ab\n' })).toBe(
      'invalid --assume-role-session-name "ab\\n": it must be 2 to 64 characters from ASCII letters, digits and +=,.@_-',
    );
    expect(refusal({ assumeRoleArn: ROLE, externalId: 'x' })).toBe('invalid --external-id: it must be 2 to 1224 characters from ASCII letters, digits and +=,.@:/_-');
  });
});

describe('the chained role\'s request at the edges of STS\'s rules (mutation QA)', () => {
  it('takes an external ID of 2 and of 1224 characters, and refuses 1225', () => {
    expect(resolveAssumeRoleConfig({ assumeRoleArn: ROLE, externalId: 'ab' }, 'aws')?.externalId).toBe('ab');
    const longest = 'x'.repeat(1224);
    expect(resolveAssumeRoleConfig({ assumeRoleArn: ROLE, externalId: longest }, 'aws')?.externalId).toBe(longest);
    expect(refusal({ assumeRoleArn: ROLE, externalId: `${longest}x` })).toBe('invalid --external-id: it must be 2 to 1224 characters from ASCII letters, digits and +=,.@:/_-');
  });

  it('takes 50 session tags and refuses 51', () => {
    const tags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 'v']));
    expect(resolveAssumeRoleConfig({ assumeRoleArn: ROLE, assumeRoleTags: tags(50) }, 'aws')?.tags).toHaveLength(50);
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleTags: tags(51) })).toBe('invalid --assume-role-tag: 51 tags, more than the 50 STS takes');
  });

  it('takes a tag key that starts with aws but not aws:', () => {
    expect(resolveAssumeRoleConfig({ assumeRoleArn: ROLE, assumeRoleTags: { awsome: 'a', 'aws-team': 'b' } }, 'aws')?.tags).toEqual([
      { key: 'awsome', value: 'a' }, { key: 'aws-team', value: 'b' },
    ]);
  });

  it('refuses two tag keys that differ only in case, which STS takes as one', () => {
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleTags: { team: 'a', Team: 'b' } })).toBe(
      'invalid --assume-role-tag: the keys team and Team are one to STS, which takes tag keys whatever their case',
    );
  });

  it('refuses an account of 11 digits, and takes a role path of exactly 512 characters (IAM\'s longest)', () => {
    expect(refusal({ assumeRoleArn: 'arn:aws:iam::21098765432:role/deploy' })).toBe(
      'invalid --assume-role-arn "arn:aws:iam::21098765432:role/deploy": its account "21098765432" is not the 12 digits of an AWS account',
    );
    const longestPath = `arn:aws:iam::210987654321:role/${'p'.repeat(510)}/deploy`;
    expect(resolveAssumeRoleConfig({ assumeRoleArn: longestPath }, 'aws')?.roleArn).toBe(longestPath);
  });
});
