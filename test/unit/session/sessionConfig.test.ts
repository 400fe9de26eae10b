import { describe, expect, it } from 'vitest';
import { noteSources } from '../../../src/context.js';
import { resolveSessionConfig, type SessionInputs } from '../../../src/session/sessionConfig.js';

const base: SessionInputs = {
  trustAnchorArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/t',
  profileArn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/p',
  roleArn: 'arn:aws:iam::123456789012:role/r',
};

describe('resolveSessionConfig', () => {
  it('takes the region from the trust anchor, defaults the duration to 3600', () => {
    const config = resolveSessionConfig(base, {});
    expect(config.signingRegion).toBe('eu-west-1');
    expect(config.endpoint.href).toBe('https://rolesanywhere.eu-west-1.amazonaws.com/');
    expect(config.durationSeconds).toBe(3600);
    expect(config.roleSessionName).toBeUndefined();
  });

  it('lets --region override it', () => {
    expect(resolveSessionConfig({ ...base, region: 'eu-central-1' }, {}).signingRegion).toBe('eu-central-1');
  });

  it('falls back to AWS_REGION when the ARNs have no region', () => {
    const regionless = { ...base, trustAnchorArn: 'arn:aws:rolesanywhere::123:trust-anchor/t', profileArn: 'arn:aws:rolesanywhere::123:profile/p' };
    expect(resolveSessionConfig(regionless, { AWS_REGION: 'ap-south-1' }).signingRegion).toBe('ap-south-1');
    expect(() => resolveSessionConfig(regionless, {})).toThrow('no region: give region, use a trust anchor ARN with a region, or set AWS_REGION');
  });

  it.each([900, 43200])('accepts a duration of %i', (durationSeconds) => {
    expect(resolveSessionConfig({ ...base, durationSeconds }, {}).durationSeconds).toBe(durationSeconds);
  });

  it('refuses a duration of 43201, a second over the longest Roles Anywhere issues (mutation QA)', () => {
    expect(() => resolveSessionConfig({ ...base, durationSeconds: 43201 }, {})).toThrow(
      'invalid durationSeconds 43201: it must be a whole number of seconds between 900 and 43200',
    );
  });

  it.each([1800.5, Number.NaN])('refuses a duration of %d, within the bounds by no comparison but no whole number of seconds (mutation QA)', (durationSeconds) => {
    expect(() => resolveSessionConfig({ ...base, durationSeconds }, {})).toThrow(
      `invalid durationSeconds ${durationSeconds}: it must be a whole number of seconds between 900 and 43200`,
    );
  });

  it('takes the trust anchor\'s region before the calling client\'s, and AWS_REGION before AWS_DEFAULT_REGION (mutation QA)', () => {
    expect(resolveSessionConfig({ ...base, fallbackRegion: 'ap-south-1' }, { AWS_REGION: 'us-east-2' }).signingRegion).toBe('eu-west-1');
    const regionless = { ...base, trustAnchorArn: 'arn:aws:rolesanywhere::123:trust-anchor/t', profileArn: 'arn:aws:rolesanywhere::123:profile/p' };
    expect(resolveSessionConfig({ ...regionless, fallbackRegion: 'ap-south-1' }, { AWS_REGION: 'us-east-2' }).signingRegion).toBe('ap-south-1');
    expect(resolveSessionConfig(regionless, { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'ca-central-1' }).signingRegion).toBe('us-east-2');
    expect(resolveSessionConfig(regionless, { AWS_DEFAULT_REGION: 'ca-central-1' }).signingRegion).toBe('ca-central-1');
  });

  it.each(['ab', 'a'.repeat(64), 'user=bob,team@x.y-z_1+2'])('accepts the role session name %j', (roleSessionName) => {
    expect(resolveSessionConfig({ ...base, roleSessionName }, {}).roleSessionName).toBe(roleSessionName);
  });

  it.each(['a', 'a'.repeat(65), 'no spaces', 'sl/ash', 'ünï'])('rejects the role session name %j', (roleSessionName) => {
    expect(() => resolveSessionConfig({ ...base, roleSessionName }, {})).toThrow(`invalid roleSessionName "${roleSessionName}"`);
  });

  it('requires all three ARNs', () => {
    expect(() => resolveSessionConfig({ ...base, trustAnchorArn: undefined }, {})).toThrow('no trust anchor ARN given: use trustAnchorArn');
    expect(() => resolveSessionConfig({ ...base, profileArn: '' }, {})).toThrow('no profile ARN given: use profileArn');
    expect(() => resolveSessionConfig({ ...base, roleArn: undefined }, {})).toThrow('no role ARN given: use roleArn');
  });

  it('names every missing ARN at once', () => {
    expect(() => resolveSessionConfig({ ...base, trustAnchorArn: undefined, roleArn: '' }, {})).toThrow(
      'no trust anchor or role ARN given: use trustAnchorArn and roleArn',
    );
    expect(() => resolveSessionConfig({ durationSeconds: 3600 }, {})).toThrow(
      'no trust anchor, profile or role ARN given: use trustAnchorArn, profileArn and roleArn',
    );
  });

  it('rejects trust anchor and profile ARNs from different partitions', () => {
    const profileArn = 'arn:aws-cn:rolesanywhere:eu-west-1:123456789012:profile/p';
    expect(() => resolveSessionConfig({ ...base, profileArn }, {})).toThrow('trust anchor and profile partitions don\'t match: "aws" and "aws-cn"');
  });

  it('rejects a role ARN in another partition than the trust anchor (the service issues none for it)', () => {
    const roleArn = 'arn:aws-cn:iam::123456789012:role/r';
    expect(() => resolveSessionConfig({ ...base, roleArn }, {})).toThrow('trust anchor and role partitions don\'t match: "aws" and "aws-cn"');
  });

  it.each(['arn:aws:iam::123456789012:role/', 'arn:aws:iam::123456789012:role/path/', 'arn:aws:iam::123456789012:role/a/b/'])(
    'rejects the role ARN %s, whose role name is empty',
    (roleArn) => {
      expect(() => resolveSessionConfig({ ...base, roleArn }, {})).toThrow(`failed to parse role arn "${roleArn}": it names no role (it ends with "/", where the name goes)`);
    },
  );

  it.each([
    ['roleArn', `${base.roleArn} `, 'a trailing space'],
    ['roleArn', 'arn:aws:iam::123456789012:role/a b', 'a space inside'],
    ['trustAnchorArn', `${base.trustAnchorArn}\n`, 'a trailing line break'],
    ['profileArn', `${base.profileArn}\r`, 'a carriage return'],
    ['profileArn', `\t${base.profileArn}`, 'a leading tab'],
    ['roleArn', `${base.roleArn}\u0000`, 'a NUL'],
    ['trustAnchorArn', `${base.trustAnchorArn}\u007f`, 'a DEL, the last ASCII character (mutation QA)'],
    ['roleArn', `${base.roleArn}\u0085`, 'a C1 control character'],
    ['roleArn', `${base.roleArn}\u00a0`, 'a no-break space'],
    ['roleArn', `${base.roleArn}\u2028`, 'a line separator'],
  ] as const)('refuses a %s with %j (%s), naming the option, before sending', (name, value, _what) => {
    expect(() => resolveSessionConfig({ ...base, [name]: value }, {})).toThrow(
      `invalid ${name} ${JSON.stringify(value)}: ARNs hold no whitespace or control characters`,
    );
  });

  it('refuses a role ARN IAM could not have made (as --assume-role-arn\'s), naming the option, before sending', () => {
    expect(() => resolveSessionConfig({ ...base, roleArn: 'arn:aws:iam::1234:role/r' }, {})).toThrow(
      'invalid roleArn "arn:aws:iam::1234:role/r": its account "1234" is not the 12 digits of an AWS account',
    );
    expect(() => resolveSessionConfig({ ...base, roleArn: 'arn:aws:iam::123456789012:role/r*' }, {})).toThrow(
      'invalid roleArn "arn:aws:iam::123456789012:role/r*": its role name "r*" is not 1 to 64 ASCII letters',
    );
    expect(() => resolveSessionConfig({ ...base, roleArn: 'arn:aws:iam:us-east-1:123456789012:role/r' }, {})).toThrow(
      'invalid roleArn "arn:aws:iam:us-east-1:123456789012:role/r": it names the Region "us-east-1", which a role ARN',
    );
  });

  it('says an ARN that is a variable\'s name was left unexpanded: a Dockerfile\'s exec-form CMD runs no shell (QA: real-world Dockerfiles and pod specs)', () => {
    // CMD [ "aws_signing_helper", "serve", "--trust-anchor-arn", "$TRUST_ANCHOR_ARN", ... ]
    for (const trustAnchorArn of ['$TRUST_ANCHOR_ARN', '${TRUST_ANCHOR_ARN}', '$(TRUST_ANCHOR_ARN)']) {
      expect(() => resolveSessionConfig({ ...base, trustAnchorArn }, {})).toThrow(
        `failed to parse trust anchor arn "${trustAnchorArn}": arn: invalid prefix (a variable's name, left as written: no shell runs a ` +
          "Dockerfile's exec-form CMD or a pod's command, and Kubernetes expands $(NAME) only from the container's env)",
      );
    }
    expect(() => resolveSessionConfig({ ...base, roleArn: 'role/x' }, {})).toThrow(/^failed to parse role arn "role\/x": arn: invalid prefix$/);
  });

  it('accepts a role ARN with a path', () => {
    expect(resolveSessionConfig({ ...base, roleArn: 'arn:aws:iam::123456789012:role/path/r' }, {}).roleArn).toBe('arn:aws:iam::123456789012:role/path/r');
  });

  describe('builds the endpoint from a validated region only (issue 13, item 11)', () => {
    it.each(['x@127.0.0.1:8443/', 'x@attacker.example#', 'us-east-1.attacker.example', 'US-EAST-1', 'us_east_1', '-us-east-1', 'us-east-1-', 'a'.repeat(64), 'eu west 1'])(
      'refuses --region %j, sending nothing',
      (region) => {
        expect(() => resolveSessionConfig({ ...base, region }, {})).toThrow(
          `invalid region "${region}": a region is 1 to 63 lower-case letters, digits and inner hyphens (e.g. us-east-1)`,
        );
      },
    );

    it('refuses the same region inside the ARNs, and in AWS_REGION', () => {
      const trustAnchorArn = 'arn:aws:rolesanywhere:x@attacker.example#:123456789012:trust-anchor/t';
      const profileArn = 'arn:aws:rolesanywhere:x@attacker.example#:123456789012:profile/p';
      expect(() => resolveSessionConfig({ ...base, trustAnchorArn, profileArn }, {})).toThrow(
        `failed to parse trust anchor arn "${trustAnchorArn}": invalid region "x@attacker.example#": a region is 1 to 63 lower-case letters, digits and inner hyphens (e.g. us-east-1)`,
      );
      const regionless = { ...base, trustAnchorArn: 'arn:aws:rolesanywhere::123:trust-anchor/t', profileArn: 'arn:aws:rolesanywhere::123:profile/p' };
      expect(() => resolveSessionConfig(regionless, { AWS_REGION: 'x@attacker.example#' })).toThrow('invalid AWS_REGION "x@attacker.example#"');
    });

    it('names where a region that is none came from, as an endpoint is named (consistency QA: `invalid region`, whichever it was)', () => {
      const regionless = { ...base, trustAnchorArn: 'arn:aws:rolesanywhere::123:trust-anchor/t', profileArn: 'arn:aws:rolesanywhere::123:profile/p' };
      const reason = 'a region is 1 to 63 lower-case letters, digits and inner hyphens (e.g. us-east-1)';
      expect(() => resolveSessionConfig(regionless, { AWS_DEFAULT_REGION: 'eu west 1' })).toThrow(`invalid AWS_DEFAULT_REGION "eu west 1": ${reason}`);
      const filled = noteSources({ AWS_REGION: 'eu west 1' }, new Map([['AWS_REGION', 'region in profile dev of /home/u/.aws/config']]));
      expect(() => resolveSessionConfig(regionless, filled)).toThrow(`invalid region in profile dev of /home/u/.aws/config "eu west 1": ${reason}`);
      expect(() => resolveSessionConfig({ ...regionless, fallbackRegion: 'eu west 1' }, {})).toThrow(`invalid region of the calling client "eu west 1": ${reason}`);
    });

    it.each(['us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-isob-east-1', 'eu-isoe-west-1', 'fips-us-east-1', 'us-east-1-fips', 'aws-global', 'eusc-de-east-1'])(
      'accepts %s',
      (region) => {
        expect(resolveSessionConfig({ ...base, region }, {}).endpoint.hostname).toMatch(/^rolesanywhere(-fips)?\.[a-z0-9-]+\.[a-z0-9.-]+$/);
      },
    );
  });
});

