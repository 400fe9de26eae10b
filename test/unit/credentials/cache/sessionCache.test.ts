import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheSlotFor } from '../../../../src/credentials/cache/cacheSlot.js';
import { withSessionCache } from '../../../../src/credentials/cache/sessionCache.js';
import { rolesAnywhereSession, type RolesAnywhereOptions } from '../../../../src/credentials/rolesAnywhereSession.js';
import type { Logger } from '../../../../src/log/logger.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { firstHit, relaying } from '../../../support/fakeEndpoints.js';
import { ARNS, Scenario } from '../../../support/scenario.js';

let scenario: Scenario;
beforeAll(async () => {
  scenario = await Scenario.start();
});
afterAll(async () => scenario.stop());

/** A session through the cache in a folder of its own, as the library's provider makes it, and what it logged. */
function cachedSession(options: RolesAnywhereOptions) {
  const folder = mkdtempSync(join(tmpdir(), 'rah-session-cache-'));
  const env = { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder };
  const lines: string[] = [];
  const logger: Logger = { ...silentLogger, debug: (line) => lines.push(`debug ${line}`), warn: (line) => lines.push(`warn ${line}`) };
  const context = { logger, env };
  const session = rolesAnywhereSession(options, context);
  return { env, folder, lines, session, fetch: withSessionCache(session, options, context) };
}

describe('withSessionCache', () => {
  it('names the entry again at each fetch: a certificate renewed in place under a running provider is a new entry', async () => {
    const renewable = await scenario.leaf('session-cache-renewed');
    const options = { certificate: renewable.certPath, privateKey: renewable.keyPath, ...ARNS, endpoint: scenario.emulator.url, version: 'test' };
    const { env, folder, fetch, session } = cachedSession(options);
    try {
      const before = scenario.emulator.issued.length;
      const first = await fetch();
      expect(scenario.emulator.issued.length).toBe(before + 1);
      const renewed = await scenario.ca.issue({ subject: 'CN=session-cache-renewed,O=roles-anywhere-helper tests', publicKey: renewable.certificate.key!.spki });
      writeFileSync(renewable.certPath, renewed.pem);
      // The provider's next fetch (a refresh) is the renewed certificate's: its own CreateSession and entry,
      // where a credential-process run with the renewed certificate finds it.
      const second = await fetch();
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
      expect(scenario.emulator.issued.length).toBe(before + 2);
      const renewedEntry = cacheSlotFor(options, env)!.path;
      expect(readdirSync(join(folder, 'credentials'))).toContain(renewedEntry.split('/').at(-1));
      expect((await fetch()).accessKeyId).toBe(second.accessKeyId);
      expect(scenario.emulator.issued.length).toBe(before + 2);
    } finally {
      await session.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a certificate it cannot read at a later fetch is a rejection, which the library\'s refresher meets with what it holds (review: it threw)', async () => {
    const leaf = await scenario.leaf('session-cache-vanishing');
    const options = { certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: scenario.emulator.url, version: 'test' };
    const { folder, fetch, session } = cachedSession(options);
    try {
      await fetch();
      rmSync(leaf.certPath);
      let fetching: Promise<unknown> | undefined;
      expect(() => (fetching = fetch())).not.toThrow();
      await expect(fetching).rejects.toThrow(/unable to read certificate .*session-cache-vanishing-cert\.pem: no such file or directory/);
    } finally {
      await session.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a close() while CreateSession is under way stops it, without a warning, storing none (QA)', async () => {
    const leaf = await scenario.leaf('session-cache-closed');
    const front = await relaying(scenario.emulator.url);
    front.delay(400);
    const { folder, fetch, lines, session } = cachedSession({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: front.url, version: 'test' });
    try {
      const fetching = fetch();
      expect(await firstHit(front)).toBe(1);
      await session.close();
      await expect(fetching).rejects.toThrow(/: stopped waiting for the response: the session was closed$/);
      expect(lines.filter((line) => line.startsWith('warn'))).toEqual([]);
      expect(readdirSync(join(folder, 'credentials')).filter((name) => name.endsWith('.json'))).toEqual([]);
    } finally {
      await front.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("is not used for credentials of 900 s, which it would never serve: the session's, or a chained role's after a longer session (mutation testing: both survived)", async () => {
    const leaf = await scenario.leaf('session-cache-short');
    const chainedRole = { durationSeconds: 3600, assumeRoleArn: 'arn:aws:iam::210987654321:role/deploy', assumeRoleDurationSeconds: 900, stsEndpoint: scenario.emulator.url };
    for (const asked of [{ durationSeconds: 900 }, chainedRole]) {
      const { folder, lines, session } = cachedSession({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...ARNS, endpoint: scenario.emulator.url, version: 'test', ...asked });
      try {
        expect(lines).toEqual([expect.stringMatching(/^debug credential cache: not used: credentials of 900 s \(.*\) would never be served from it, /)]);
      } finally {
        await session.close();
        rmSync(folder, { recursive: true, force: true });
      }
    }
  });
});
