import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import type { fromRolesAnywhere as FromRolesAnywhere } from '../../src/index.js';
import { CertificateAuthority } from '../../src/emulator/pki/certificateAuthority.js';
import { withEnv } from '../support/awsClients.js';
import { errorLine, projectRoot, runCli } from '../support/cli.js';
import { answering, hanging, refusing, relaying, type FakeEndpoint } from '../support/fakeEndpoints.js';
import { imds, imdsCredentials, imdsToken } from '../support/imdsClient.js';
import { startServe } from '../support/longRunning.js';
import { ARNS, printedCredentials, Scenario, type LeafFiles } from '../support/scenario.js';

const { fromRolesAnywhere } = createRequire(import.meta.url)(join(projectRoot, 'dist/index.cjs')) as { fromRolesAnywhere: typeof FromRolesAnywhere };

/** The fallback Region's trust anchor and profile (the role is the same: IAM is global). */
const WEST = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/aaaaaaaa-2222-3333-4444-555555555555',
  profileArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/bbbbbbbb-7777-8888-9999-000000000000',
} as const;
const DEPLOY_ROLE = 'arn:aws:iam::210987654321:role/deploy';
/** The whole attempt, primary and fallbacks, ends within the retry deadline. */
const BOUND_MS = 30_000;

let scenario: Scenario;
let west: RunningEmulator;
let leaf: LeafFiles;

/** A Region like the fallback one, in an emulator of its own (with these options). */
const westRegion = (options: { credentialLifetimeSeconds?: number } = {}) =>
  scenario.otherEmulator({
    region: 'us-west-2',
    trustAnchors: [{ arn: WEST.trustAnchorArn, certificates: scenario.ca.certificate.pem }],
    profiles: [{ arn: WEST.profileArn, roleArns: [ARNS.roleArn] }],
    assumableRoles: [{ roleArn: DEPLOY_ROLE }],
    ...options,
  });

beforeAll(async () => {
  scenario = await Scenario.start({ assumableRoles: [{ roleArn: DEPLOY_ROLE }] });
  west = await westRegion();
  leaf = await scenario.leaf('fallback-workload');
});
afterAll(async () => scenario.stop());

const fallbackTo = (region: RunningEmulator | string, extra = '') =>
  `trust-anchor-arn=${WEST.trustAnchorArn},profile-arn=${WEST.profileArn},endpoint=${typeof region === 'string' ? region : region.url}${extra}`;
const regionFlags = (primary: string, fallback = fallbackTo(west)) => [
  '--certificate', leaf.certPath, '--private-key', leaf.keyPath,
  ...scenario.sessionFlags(primary), '--fallback', fallback,
];
const credentialProcess = (primary: string, ...extra: string[]) => runCli(['credential-process', ...regionFlags(primary), ...extra]);

/** Primaries that cannot issue credentials, each in its own way. */
const BROKEN_PRIMARIES: [string, () => Promise<{ url: string; close?: () => Promise<void> }>][] = [
  ['refuses connections', async () => ({ url: await refusing() })],
  ['has a name DNS does not know', async () => ({ url: 'https://rolesanywhere.primary.test.invalid' })],
  ['answers 500', () => answering((_req, res) => res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"message":"Internal failure"}'))],
  ['hangs', () => hanging()],
  [
    'answers 403 (its trust anchor does not trust the certificate)',
    async () => {
      const other = await CertificateAuthority.create({ subject: 'CN=Another Root' });
      return scenario.otherEmulator({ trustAnchors: [{ arn: ARNS.trustAnchorArn, certificates: other.certificate.pem }] });
    },
  ],
];

describe('credential-process --fallback', () => {
  it.each(BROKEN_PRIMARIES)('when the primary %s, the fallback Region answers, within the bound', async (_, broken) => {
    const primary = await broken();
    try {
      const before = west.issued.length;
      const result = await credentialProcess(primary.url);
      // A primary that hangs gets the usual notice of what is being waited for; then one warning says the
      // primary failed and which Region answered (QA: only --debug said so, and serve said nothing at all).
      expect(result.stderr.replace(/^.* waiting for http:\/\/127\.0\.0\.1:\d+ to answer CreateSession \(attempt 1 of 3\)\n/, '')).toMatch(
        /^\S+ \S+ warning: credentials issued by us-west-2 \(fallback 1\), after us-east-1 \(primary\): operation error RolesAnywhere: CreateSession, [^\n]+\n$/,
      );
      expect(result.code).toBe(0);
      expect(west.issued.length).toBe(before + 1);
      expect(result.stdout).toBe(printedCredentials(west.issued.at(-1)!));
      expect(result.ms).toBeLessThan(BOUND_MS);
    } finally {
      await primary.close?.();
    }
  });

  it('asks only the primary while it answers', async () => {
    const before = west.issued.length;
    const result = await credentialProcess(scenario.emulator.url);
    expect(result.stdout).toBe(printedCredentials(scenario.emulator.issued.at(-1)!));
    expect(west.issued.length).toBe(before);
  });

  it('--debug says why the primary was passed over and which Region answered', async () => {
    const primary = await refusing();
    const result = await credentialProcess(primary, '--debug');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/us-east-1 \(primary\) could not issue credentials; trying us-west-2 \(fallback 1\): operation error RolesAnywhere: CreateSession, exceeded maximum number of attempts, 3, request send failed/);
    expect(result.stderr).toContain('credentials issued by us-west-2 (fallback 1)');
  });

  it('reports each Region\'s failure in one line when none answers', async () => {
    const failing = await answering((_req, res) => res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"message":"Service unavailable"}'));
    try {
      const result = await runCli(['credential-process', ...regionFlags(failing.url, fallbackTo(await refusing()))]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(errorLine(result)).toMatch(
        new RegExp(
          '^no Region issued credentials: ' +
            'us-east-1 \\(primary\\): operation error RolesAnywhere: CreateSession, exceeded maximum number of attempts, 3, http response error StatusCode: 503, RequestID: , api error UnknownError: Service unavailable; ' +
            'us-west-2 \\(fallback 1\\): operation error RolesAnywhere: CreateSession, exceeded maximum number of attempts, 3, request send failed, Post "http://127\\.0\\.0\\.1:\\d+/sessions\\?[^"]+": connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$',
        ),
      );
    } finally {
      await failing.close();
    }
  });

  it('reports a mistake of the caller\'s at once, trying no other Region', async () => {
    const expired = await scenario.leaf('fallback-expired', { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-01-01T00:00:00Z') });
    const before = west.issued.length;
    const result = await runCli([
      'credential-process', ...regionFlags(scenario.emulator.url).slice(4), '--certificate', expired.certPath, '--private-key', expired.keyPath,
    ]);
    expect(errorLine(result)).toMatch(new RegExp(`^certificate ${expired.certPath} expired at 2025-01-01T00:00:00Z, and this machine's clock reads \\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z$`));
    expect(west.issued.length).toBe(before);
  });

  it('stops at a primary that answers 400 (a request no Region would take), naming the fallbacks left untried (mutation QA)', async () => {
    const invalid = await answering((_req, res) =>
      res.writeHead(400, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ValidationException' }).end('{"message":"Duration exceeds the role\'s limit"}'),
    );
    try {
      const before = west.issued.length;
      const result = await credentialProcess(invalid.url);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(errorLine(result)).toBe(
        'no Region issued credentials: us-east-1 (primary): operation error RolesAnywhere: CreateSession, http response error StatusCode: 400, RequestID: , ' +
          "ValidationException: Duration exceeds the role's limit; not tried after that answer: us-west-2 (fallback 1)",
      );
      expect(west.issued.length).toBe(before);
    } finally {
      await invalid.close();
    }
  });

  it('with --assume-role-arn, chains through STS in the Region that answered', async () => {
    const primary = await refusing();
    const primaryStsCalls = scenario.emulator.stsCalls.length;
    const result = await runCli([
      'credential-process', ...regionFlags(primary, fallbackTo(west, `,sts-endpoint=${west.url}`)),
      '--assume-role-arn', DEPLOY_ROLE, '--sts-endpoint', scenario.emulator.url,
    ]);
    expect(result.stderr).toMatch(/^\S+ \S+ warning: credentials issued by us-west-2 \(fallback 1\), after us-east-1 \(primary\): [^\n]+\n$/);
    const chained = west.assumedRoles.at(-1)!;
    expect(result.stdout).toBe(printedCredentials(chained));
    expect(chained.callerArn).toBe(`arn:aws:sts::123456789012:assumed-role/test-role/${west.issued.at(-1)!.roleSessionName}`);
    expect(scenario.emulator.stsCalls.length).toBe(primaryStsCalls);
    const output = JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const identity = await new STSClient({
      region: 'us-west-2',
      endpoint: west.url,
      maxAttempts: 1,
      credentials: { accessKeyId: output.AccessKeyId, secretAccessKey: output.SecretAccessKey, sessionToken: output.SessionToken },
    }).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toMatch(/^arn:aws:sts::210987654321:assumed-role\/deploy\//);
  });

  it('names the Region whose STS refused the chained role, and the fallbacks that refusal left untried (QA, chaining and fallback)', async () => {
    const before = { issued: west.issued.length, sts: west.stsCalls.length };
    const result = await runCli([
      'credential-process', ...regionFlags(scenario.emulator.url, fallbackTo(west, `,sts-endpoint=${west.url}`)),
      '--assume-role-arn', 'arn:aws:iam::210987654321:role/elsewhere', '--sts-endpoint', scenario.emulator.url,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toMatch(
      /^no Region issued credentials: us-east-1 \(primary\): unable to assume role arn:aws:iam::210987654321:role\/elsewhere: operation error STS: AssumeRole, https? response error StatusCode: 403, RequestID: [\w-]+, api error AccessDenied: [^;]+; not tried after that answer: us-west-2 \(fallback 1\)$/,
    );
    expect({ issued: west.issued.length, sts: west.stsCalls.length }).toEqual(before);
  });
});

describe('serve --fallback', () => {
  let front: FakeEndpoint & { mode: 'forward' | 'fail' | 'hang' };
  afterAll(async () => front?.close());

  it('serves the fallback\'s credentials while the primary fails, and the primary\'s again from the next refresh after it recovers', async () => {
    // Short-lived credentials from the fallback, so that serve refreshes within seconds.
    const shortLivedWest = await westRegion({ credentialLifetimeSeconds: 4 });
    front = await relaying(scenario.emulator.url);
    front.mode = 'fail';
    const server = await startServe(regionFlags(front.url, fallbackTo(shortLivedWest)));
    try {
      await withEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: `${server.url}/` }, async () => {
        const first = await fromInstanceMetadata({ maxRetries: 0, timeout: 5000 })();
        expect(shortLivedWest.issued.map((issued) => issued.accessKeyId)).toContain(first.accessKeyId);

        front.mode = 'forward';
        const primaryKeys = () => scenario.emulator.issued.map((issued) => issued.accessKeyId);
        const deadline = Date.now() + 15_000;
        let served = first.accessKeyId;
        while (!primaryKeys().includes(served) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          const response = await imdsCredentials(server.url);
          expect(response.status).toBe(200);
          served = (JSON.parse(response.body) as { AccessKeyId: string }).AccessKeyId;
        }
        expect(primaryKeys()).toContain(served);
      });
    } finally {
      await server.stop();
    }
  });
});

describe('serve --roles-file --fallback', () => {
  /** A profile of the primary Region that grants less, and its counterpart in the fallback Region. */
  const RESTRICTED = 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/restricted';
  const RESTRICTED_WEST = 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/restricted-west';
  const rolesFile = (name: string, restricted: Record<string, unknown>) =>
    scenario.workspace.write(name, JSON.stringify({ roles: [{ name: 'workload' }, { name: 'restricted', 'profile-arn': RESTRICTED, ...restricted }] }));

  it('refuses a role with its own profile that gives no fallbacks of its own, before anything is sent: the command line\'s would give it another profile', async () => {
    const path = rolesFile('fallback-roles.json', {});
    const before = west.issued.length;
    const result = await runCli(['serve', '--port', '0', ...regionFlags(await refusing()), '--roles-file', path]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(result)).toBe(
      `role 2 ("restricted") of roles file ${path}: --fallback is for the command line's trust anchor and profile, and this role has its own "profile-arn" ` +
        "(it would get another profile's permissions in the fallback Regions): give it its own \"fallback\" list, [] for none",
    );
    expect(west.issued.length).toBe(before);
  });

  it('each role falls back to its own fallbacks: the restricted role to its own profile\'s Region', async () => {
    const restrictedWest = await scenario.otherEmulator({
      region: 'us-west-2',
      trustAnchors: [{ arn: WEST.trustAnchorArn, certificates: scenario.ca.certificate.pem }],
      profiles: [{ arn: RESTRICTED_WEST, roleArns: [ARNS.roleArn] }],
    });
    const path = rolesFile('own-fallback-roles.json', { fallback: [`trust-anchor-arn=${WEST.trustAnchorArn},profile-arn=${RESTRICTED_WEST},endpoint=${restrictedWest.url}`] });
    const server = await startServe([...regionFlags(await refusing()), '--roles-file', path]);
    try {
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(server.url) };
      const keyOf = async (role: string) => JSON.parse((await imds(server.url, 'GET', `/latest/meta-data/iam/security-credentials/${role}`, token)).body).AccessKeyId;
      expect(west.issued.map((issued) => issued.accessKeyId)).toContain(await keyOf('workload'));
      expect(restrictedWest.issued.map((issued) => issued.accessKeyId)).toEqual([await keyOf('restricted')]);
    } finally {
      await server.stop();
    }
  });
});

describe('fromRolesAnywhere({ fallbacks })', () => {
  it('gives the fallback Region\'s credentials when the primary is down, with one warning on the caller\'s logger', async () => {
    const warnings: unknown[][] = [];
    const provider = fromRolesAnywhere({
      ...ARNS,
      certificate: leaf.certPath,
      privateKey: leaf.keyPath,
      endpoint: await refusing(),
      fallbacks: [{ ...WEST, endpoint: west.url }],
      logger: { debug: () => {}, info: () => {}, warn: (...content: unknown[]) => warnings.push(content), error: () => {} },
    });
    expect((await provider()).accessKeyId).toBe(west.issued.at(-1)!.accessKeyId);
    // The caller's logger names the level: the line does not begin with the CLI's "warning: " too.
    expect(warnings).toEqual([[expect.stringMatching(/^credentials issued by us-west-2 \(fallback 1\), after us-east-1 \(primary\): operation error/)]]);
    await provider.close();
  });

  it('refuses a fallback that is not one, at once, naming the entry and the field to blame', () => {
    const refusal = (fallbacks: unknown) => {
      try {
        fromRolesAnywhere({ ...ARNS, fallbacks: fallbacks as never });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    const shape = 'fromRolesAnywhere: invalid fallbacks: it must be an array of { trustAnchorArn, profileArn, endpoint?, stsEndpoint? } with string values';
    expect(refusal([{ ...WEST }, { trustAnchorArn: WEST.trustAnchorArn, profile: WEST.profileArn }])).toBe(
      `${shape} (fallbacks[1]: unknown field profile (did you mean profileArn?))`,
    );
    expect(refusal([{ ...WEST, endpont: 'https://x' }])).toBe(`${shape} (fallbacks[0]: unknown field endpont (did you mean endpoint?))`);
    expect(refusal([{ ...WEST, region: 'us-west-2' }])).toBe(`${shape} (fallbacks[0]: unknown field region)`);
    expect(refusal([{ ...WEST, endpoint: 443 }])).toBe(`${shape} (fallbacks[0].endpoint is not a string)`);
    expect(refusal(['us-west-2'])).toBe(`${shape} (fallbacks[0] is not an object)`);
    expect(refusal(WEST)).toBe(shape);
  });
});
