import { copyFileSync, renameSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chained } from '../../../src/credentials/chained.js';
import { rolesAnywhereSession } from '../../../src/credentials/rolesAnywhereSession.js';
import type { TemporaryCredentials } from '../../../src/temporaryCredentials.js';
import { testContext } from '../../support/context.js';
import { relaying } from '../../support/fakeEndpoints.js';
import { ARNS, Scenario } from '../../support/scenario.js';

const credentials = (accessKeyId: string, expiresAt: number): TemporaryCredentials => ({
  accessKeyId,
  secretAccessKey: 's',
  sessionToken: 't',
  expiration: new Date(expiresAt),
  expirationText: new Date(expiresAt).toISOString(),
});

describe('chained', () => {
  it('exchanges the source\'s credentials, reusing them while more than 5 minutes of them remain', async () => {
    let clock = 0;
    let issued = 0;
    const sources: number[] = [];
    const exchanged: string[] = [];
    const provider = chained(
      async (deadline) => {
        sources.push(deadline ?? -1);
        return credentials(`source-${++issued}`, clock + 3_600_000);
      },
      async (source, deadline) => {
        exchanged.push(`${source.accessKeyId}@${deadline}`);
        return credentials(`chained-from-${source.accessKeyId}`, clock + 3_600_000);
      },
      { now: () => clock },
    );
    expect((await provider(100)).accessKeyId).toBe('chained-from-source-1');
    // docs/chaining.md promises reuse while more than 5 minutes remain: a literal, so that a changed margin fails here.
    clock = 3_600_000 - 5 * 60_000 - 1; // one refresh later: the source is still good
    expect((await provider(200)).accessKeyId).toBe('chained-from-source-1');
    clock += 1; // within the margin: a new source session
    expect((await provider(300)).accessKeyId).toBe('chained-from-source-2');
    expect(sources).toEqual([100, 300]);
    expect(exchanged).toEqual(['source-1@100', 'source-1@200', 'source-2@300']);
  });

  it('passes on what fails, and tries the source again next time if it failed', async () => {
    let fail = true;
    const provider = chained(
      async () => {
        if (fail) throw new Error('CreateSession failed');
        return credentials('source', Date.now() + 3_600_000);
      },
      async (source) => credentials(`chained-from-${source.accessKeyId}`, Date.now() + 3_600_000),
    );
    await expect(provider()).rejects.toThrow('CreateSession failed');
    fail = false;
    expect((await provider()).accessKeyId).toBe('chained-from-source');
  });

  it('drops, when an exchange fails, only the source credentials it used, not newer ones an overlapping call fetched meanwhile (mutation testing: dropping those survived)', async () => {
    let issued = 0;
    let release = () => {};
    const refused = new Promise<void>((resolve) => (release = resolve));
    const provider = chained(
      async () => credentials(`source-${++issued}`, Date.now() + 3_600_000),
      async (source) => {
        if (source.accessKeyId === 'source-1') await refused.then(() => Promise.reject(new Error('refused')));
        return credentials(`chained-from-${source.accessKeyId}`, Date.now() + 3_600_000);
      },
    );
    const failing = provider(); // its exchange hangs, then fails
    await new Promise((resolve) => setImmediate(resolve));
    expect((await provider(undefined, { forceRefresh: true })).accessKeyId).toBe('chained-from-source-2');
    release();
    await expect(failing).rejects.toThrow('refused');
    expect((await provider()).accessKeyId).toBe('chained-from-source-2');
    expect(issued).toBe(2);
  });

  it('drops the source\'s credentials when the exchange fails, so that the next call gets new ones', async () => {
    let issued = 0;
    let refuse = true;
    const provider = chained(
      async () => credentials(`source-${++issued}`, Date.now() + 3_600_000),
      async (source) => {
        if (refuse) throw new Error(`ExpiredToken for ${source.accessKeyId}`);
        return credentials(`chained-from-${source.accessKeyId}`, Date.now() + 3_600_000);
      },
    );
    await expect(provider()).rejects.toThrow('ExpiredToken for source-1');
    refuse = false;
    expect((await provider()).accessKeyId).toBe('chained-from-source-2');
  });

  it('gets new source credentials once the certificate is another, and only then', async () => {
    let issued = 0;
    let certificate: Buffer | undefined = Buffer.from('first');
    const provider = chained(
      async () => credentials(`source-${++issued}`, Date.now() + 3_600_000),
      async (source) => credentials(`chained-from-${source.accessKeyId}`, Date.now() + 3_600_000),
      { certificate: async () => (certificate === undefined ? undefined : Buffer.from(certificate)) },
    );
    expect((await provider()).accessKeyId).toBe('chained-from-source-1');
    expect((await provider()).accessKeyId).toBe('chained-from-source-1');
    certificate = Buffer.from('renewed');
    expect((await provider()).accessKeyId).toBe('chained-from-source-2');
    expect((await provider()).accessKeyId).toBe('chained-from-source-2');
    // From a certificate to none (a key-only source) is a change too; none then changes nothing.
    certificate = undefined;
    expect((await provider()).accessKeyId).toBe('chained-from-source-3');
    expect((await provider()).accessKeyId).toBe('chained-from-source-3');
  });

  it('keeps chaining from the held source credentials when the certificate cannot be read just then (a token pulled out, a file mid-renewal), as it did before it looked', async () => {
    let issued = 0;
    let readable = true;
    const provider = chained(
      async () => credentials(`source-${++issued}`, Date.now() + 3_600_000),
      async (source) => credentials(`chained-from-${source.accessKeyId}`, Date.now() + 3_600_000),
      {
        certificate: async () => {
          if (!readable) throw new Error('unable to find the PKCS#11 token: no token present');
          return Buffer.from('first');
        },
      },
    );
    expect((await provider()).accessKeyId).toBe('chained-from-source-1');
    readable = false;
    expect((await provider()).accessKeyId).toBe('chained-from-source-1');
    // Readable again and the same: still the held ones.
    readable = true;
    expect((await provider()).accessKeyId).toBe('chained-from-source-1');
    expect(issued).toBe(1);
  });

  it('gets new source credentials for a forced fetch (the SDK\'s forceRefresh), however long the held ones have left', async () => {
    let issued = 0;
    const provider = chained(
      async () => credentials(`source-${++issued}`, Date.now() + 3_600_000),
      async (source) => credentials(`chained-from-${source.accessKeyId}`, Date.now() + 3_600_000),
    );
    expect((await provider()).accessKeyId).toBe('chained-from-source-1');
    expect((await provider(undefined, { forceRefresh: true })).accessKeyId).toBe('chained-from-source-2');
    expect((await provider()).accessKeyId).toBe('chained-from-source-2');
  });
});

describe('chained, with the emulator\'s STS', () => {
  const DEPLOY_ROLE = 'arn:aws:iam::210987654321:role/deploy';
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await Scenario.start({ assumableRoles: [{ roleArn: DEPLOY_ROLE }] });
  });
  afterAll(async () => scenario.stop());

  it('after STS refuses the Roles Anywhere credentials (InvalidClientTokenId), makes a new CreateSession rather than send them again', async () => {
    const leaf = await scenario.leaf('revoked-session');
    // One URL for Roles Anywhere and STS; switched to a service that knows none of the credentials issued
    // before, as STS once they are revoked.
    const front = await relaying(scenario.emulator.url);
    const other = await scenario.otherEmulator({ assumableRoles: [{ roleArn: DEPLOY_ROLE }] });
    const session = rolesAnywhereSession(
      { certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: front.url, assumeRoleArn: DEPLOY_ROLE, stsEndpoint: front.url, version: 'test' },
      testContext({ AWS_MAX_ATTEMPTS: '1' }),
    );
    try {
      expect((await session.getCredentials()).accessKeyId).toBe(scenario.emulator.assumedRoles.at(-1)!.accessKeyId);
      front.retarget(other.url);
      await expect(session.getCredentials()).rejects.toThrow('api error InvalidClientTokenId: The security token included in the request is invalid.');
      const chainedCredentials = await session.getCredentials();
      expect(other.issued).toHaveLength(1);
      expect(chainedCredentials.accessKeyId).toBe(other.assumedRoles.at(-1)!.accessKeyId);
    } finally {
      await session.close();
      await front.close();
    }
  });

  it('makes a new CreateSession once the certificate is renewed on disk, rather than chaining from the old one\'s session (QA)', async () => {
    const renewed = await scenario.leaf('renewed-after');
    const leaf = await scenario.leaf('renewed-before');
    const session = rolesAnywhereSession(
      { certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: scenario.emulator.url, assumeRoleArn: DEPLOY_ROLE, stsEndpoint: scenario.emulator.url, version: 'test' },
      testContext({ AWS_MAX_ATTEMPTS: '1' }),
    );
    try {
      await session.getCredentials();
      expect(scenario.emulator.assumedRoles.at(-1)!.sourceIdentity).toBe('CN=renewed-before');
      // Renewed in place, as cert-manager or a renewal script does it: the next refresh is the new certificate's.
      for (const [from, to] of [[renewed.certPath, leaf.certPath], [renewed.keyPath, leaf.keyPath]] as const) {
        copyFileSync(from, `${to}.new`);
        renameSync(`${to}.new`, to);
      }
      await session.getCredentials();
      expect(scenario.emulator.issued.at(-1)!.sourceIdentity).toBe('CN=renewed-after');
      expect(scenario.emulator.assumedRoles.at(-1)!.sourceIdentity).toBe('CN=renewed-after');
    } finally {
      await session.close();
    }
  });

  it.each([
    ['one Region', false],
    ['with a fallback', true],
  ])('forced (the SDK\'s forceRefresh), %s: gets past source credentials STS no longer takes at once, with a new CreateSession (QA)', async (_, withFallback) => {
    const leaf = await scenario.leaf('forced-after-restart');
    const front = await relaying(scenario.emulator.url);
    const other = await scenario.otherEmulator({ assumableRoles: [{ roleArn: DEPLOY_ROLE }] });
    const fallbacks = withFallback ? [{ trustAnchorArn: ARNS.trustAnchorArn, profileArn: ARNS.profileArn, endpoint: 'http://127.0.0.1:1', stsEndpoint: 'http://127.0.0.1:1' }] : undefined;
    const session = rolesAnywhereSession(
      { certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: front.url, assumeRoleArn: DEPLOY_ROLE, stsEndpoint: front.url, fallbacks, version: 'test' },
      testContext({ AWS_MAX_ATTEMPTS: '1' }),
    );
    try {
      await session.getCredentials();
      // An emulator started again (or a source session revoked): the held Roles Anywhere credentials are unknown to it.
      front.retarget(other.url);
      const forced = await session.getCredentials({ forceRefresh: true });
      expect(other.issued).toHaveLength(1);
      expect(forced.accessKeyId).toBe(other.assumedRoles.at(-1)!.accessKeyId);
    } finally {
      await session.close();
      await front.close();
    }
  });
});
