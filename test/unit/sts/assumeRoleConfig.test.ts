import { describe, expect, it } from 'vitest';
import { resolveAssumeRoleConfig, type AssumeRoleInputs } from '../../../src/sts/assumeRoleConfig.js';
import { refusalOf } from '../../support/refusal.js';

const ROLE = 'arn:aws:iam::210987654321:role/deploy';

const refusal = (inputs: AssumeRoleInputs, partition = 'aws') => refusalOf(() => resolveAssumeRoleConfig(inputs, partition));

describe('the chained role\'s request', () => {
  it('defaults to an hour and a session name derived later, and takes what is given', () => {
    expect(resolveAssumeRoleConfig({ assumeRoleArn: ROLE }, 'aws')).toEqual({ roleArn: ROLE, roleSessionName: undefined, externalId: undefined, durationSeconds: 3600 });
    expect(resolveAssumeRoleConfig({ assumeRoleArn: ROLE, assumeRoleSessionName: 'build-7', externalId: 'partner:7/x', assumeRoleDurationSeconds: 900 }, 'aws')).toEqual({
      roleArn: ROLE,
      roleSessionName: 'build-7',
      externalId: 'partner:7/x',
      durationSeconds: 900,
    });
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

  it('refuses session names and external IDs STS would refuse', () => {
    expect(refusal({ assumeRoleArn: ROLE, assumeRoleSessionName: 'has space' })).toBe(
      'invalid --assume-role-session-name "has space": it must be 2 to 64 characters from ASCII letters, digits and +=,.@_-',
    );
    expect(refusal({ assumeRoleArn: ROLE, externalId: 'x' })).toBe('invalid --external-id: it must be 2 to 1224 characters from ASCII letters, digits and +=,.@:/_-');
  });
});
