import { describe, expect, it } from 'vitest';
import { arnFindings } from '../../../src/check/arns.js';
import { nameOptions } from '../../../src/optionNames.js';
import { flagNaming } from '../../../src/cli/flags.js';

const TA = 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/ta';
const PROFILE = 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/p';
const ROLE = 'arn:aws:iam::111122223333:role/r';

const messages = (...args: Parameters<typeof arnFindings>) =>
  arnFindings(...args).map((finding) => `${finding.status} ${finding.check}: ${nameOptions(finding.message, flagNaming)}`);

describe('the ARNs and their Regions', () => {
  it('are not checked when none is given', () => {
    expect(messages({}, {})).toEqual(['skip arn: ARNs not checked: give --trust-anchor-arn, --profile-arn, --role-arn to check them']);
  });

  it('three good ARNs in one Region, and the request they make', () => {
    expect(messages({ trustAnchorArn: TA, profileArn: PROFILE, roleArn: ROLE, durationSeconds: 900 }, {})).toEqual([
      `pass arn: trust anchor ARN ${TA}`,
      `pass arn: profile ARN ${PROFILE}`,
      `pass arn: role ARN ${ROLE}`,
      'pass regions: the trust anchor and the profile are both in eu-west-1',
      'pass request: CreateSession would go to https://rolesanywhere.eu-west-1.amazonaws.com/ (signing Region eu-west-1, 900 s)',
    ]);
  });

  // Coverage audit: no test had a request that its own resolution refuses (requestFinding's failure).
  it('an endpoint the request would not go to fails the request, a password in it not shown', () => {
    const ARNS = { trustAnchorArn: TA, profileArn: PROFILE, roleArn: ROLE, durationSeconds: 900 };
    expect(messages({ ...ARNS, endpoint: 'ftp://rolesanywhere.example' }, {}).at(-1)).toBe(
      'fail request: invalid --endpoint "ftp://rolesanywhere.example": the scheme must be https or http',
    );
    const withPassword = messages({ ...ARNS, endpoint: 'https://user:Secret-pw-1@rolesanywhere.example' }, {});
    expect(withPassword.at(-1)).toBe(
      'fail request: invalid --endpoint "https://***@rolesanywhere.example": it must not hold a user name or password (they would not be sent)',
    );
    expect(withPassword.join('\n')).not.toContain('Secret-pw-1');
  });

  it('a malformed ARN or one of the wrong kind fails, naming it', () => {
    expect(messages({ trustAnchorArn: 'trust-anchor/ta', roleArn: 'arn:aws:iam::111122223333:user/u' }, {})).toEqual([
      'fail arn: failed to parse trust anchor arn "trust-anchor/ta": arn: invalid prefix',
      'fail arn: failed to parse role arn "arn:aws:iam::111122223333:user/u": not a role ARN (expected arn:<partition>:iam::<account>:role/<id>)',
      'skip request: request not checked: give --profile-arn to check it',
    ]);
  });

  it('an ARN with a space or a line break fails, naming the flag, on one line', () => {
    expect(messages({ trustAnchorArn: `${TA}\n`, profileArn: PROFILE, roleArn: 'arn:aws:iam::111122223333:role/a b' }, {})).toEqual([
      `fail arn: invalid --trust-anchor-arn "${TA}\\n": ARNs hold no whitespace or control characters`,
      `pass arn: profile ARN ${PROFILE}`,
      'fail arn: invalid --role-arn "arn:aws:iam::111122223333:role/a b": ARNs hold no whitespace or control characters',
    ]);
  });

  it('a role ARN IAM could not have made fails, as credential-process refuses it', () => {
    expect(messages({ roleArn: 'arn:aws:iam::11112222333:role/app' }, {})).toContain(
      'fail arn: invalid --role-arn "arn:aws:iam::11112222333:role/app": its account "11112222333" is not the 12 digits of an AWS account',
    );
  });

  it('a trust anchor and a profile of different Regions fail', () => {
    const profile = PROFILE.replace('eu-west-1', 'us-east-1');
    expect(messages({ trustAnchorArn: TA, profileArn: profile }, {})).toContain(
      'fail regions: the trust anchor is in eu-west-1 and the profile in us-east-1: they must be in the same Region',
    );
  });

  it('a role of another partition fails', () => {
    expect(messages({ trustAnchorArn: TA, profileArn: PROFILE, roleArn: ROLE.replace('aws', 'aws-cn') }, {})).toContain(
      'fail regions: the ARNs are in different partitions (aws, aws-cn)',
    );
  });

  it('--region other than the trust anchor\'s fails, and the request is not said to pass (QA: a warning, then a ✓ request)', () => {
    const found = messages({ trustAnchorArn: TA, profileArn: PROFILE, roleArn: ROLE, region: 'us-east-1' }, {});
    expect(found).toContain(
      "fail regions: --region us-east-1 is not the trust anchor's Region eu-west-1: the trust anchor exists only in eu-west-1, and CreateSession signed for another Region is refused",
    );
    expect(found.filter((message) => message.startsWith('pass request'))).toEqual([]);
  });

  it("--region as the trust anchor's Region spelt for FIPS (docs/chaining.md) is no warning", () => {
    for (const region of ['eu-west-1-fips', 'fips-eu-west-1']) {
      expect(messages({ trustAnchorArn: TA, region }, {}).filter((message) => message.startsWith('warn regions'))).toEqual([]);
    }
  });

  it('the rest of the request is checked as credential-process checks it', () => {
    expect(messages({ trustAnchorArn: TA, profileArn: PROFILE, roleArn: ROLE, durationSeconds: 60 }, {}).at(-1)).toBe(
      'fail request: invalid --session-duration 60: it must be a whole number of seconds between 900 and 43200',
    );
  });

  it('with the three ARNs too, a duration and a session name that are both wrong are both said, as without them (consistency QA: only the first)', () => {
    expect(messages({ trustAnchorArn: TA, profileArn: PROFILE, roleArn: ROLE, durationSeconds: 10, roleSessionName: 'a b' }, {}).slice(-2)).toEqual([
      'fail request: invalid --session-duration 10: it must be a whole number of seconds between 900 and 43200',
      expect.stringMatching(/^fail request: invalid --role-session-name "a b": /),
    ]);
  });

  it('without the three ARNs, a duration or session name given is still checked', () => {
    expect(messages({ durationSeconds: 10, roleSessionName: 'a b' }, {})).toEqual([
      'skip arn: ARNs not checked: give --trust-anchor-arn, --profile-arn, --role-arn to check them',
      'fail request: invalid --session-duration 10: it must be a whole number of seconds between 900 and 43200',
      expect.stringMatching(/^fail request: invalid --role-session-name "a b": /),
    ]);
    expect(messages({ trustAnchorArn: TA, durationSeconds: 900, roleSessionName: 'ok-name' }, {})).toEqual([
      `pass arn: trust anchor ARN ${TA}`,
      'skip request: request not checked: give --profile-arn, --role-arn to check it',
    ]);
  });

  it('with some ARNs, names those missing, and checks the accounts of those given (QA: a role of another account passed)', () => {
    const otherRole = 'arn:aws:iam::999999999999:role/other-account';
    expect(messages({ trustAnchorArn: TA, roleArn: otherRole }, {})).toEqual([
      `pass arn: trust anchor ARN ${TA}`,
      `pass arn: role ARN ${otherRole}`,
      "fail regions: the role is of account 999999999999 and the trust anchor of 111122223333: a profile passes only its own account's roles",
      'skip request: request not checked: give --profile-arn to check it',
    ]);
    expect(messages({ profileArn: PROFILE, roleArn: ROLE }, {})).toEqual([
      `pass arn: profile ARN ${PROFILE}`,
      `pass arn: role ARN ${ROLE}`,
      "pass regions: the role is of the profile's account and partition",
      'skip request: request not checked: give --trust-anchor-arn to check it',
    ]);
    expect(messages({ profileArn: PROFILE, roleArn: ROLE.replace('aws', 'aws-cn') }, {})).toContain('fail regions: the ARNs are in different partitions (aws, aws-cn)');
    expect(messages({ trustAnchorArn: TA, profileArn: PROFILE }, {})).toEqual([
      `pass arn: trust anchor ARN ${TA}`,
      `pass arn: profile ARN ${PROFILE}`,
      'pass regions: the trust anchor and the profile are both in eu-west-1',
      'skip request: request not checked: give --role-arn to check it',
    ]);
  });
});
