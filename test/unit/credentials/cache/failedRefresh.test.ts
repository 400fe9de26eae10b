import { describe, expect, it, vi } from 'vitest';
import { failedAtTheService, keptAfterFailure, RETRY_AFTER_FAILURE_MS } from '../../../../src/credentials/cache/failedRefresh.js';
import { testContext } from '../../../support/context.js';
import { firstThatAnswers } from '../../../../src/credentials/firstThatAnswers.js';
import { AssumeRoleError, CreateSessionError, HelperError } from '../../../../src/errors.js';
import { silentLogger } from '../../../../src/log/logger.js';

describe('failedAtTheService', () => {
  it("tells a failure every run would meet (the service's, in any Region) from one of this run's key", async () => {
    const unreachable = new CreateSessionError('unable to reach the endpoint', { tryNextLink: true });
    expect(failedAtTheService(unreachable)).toBe(true);
    expect(failedAtTheService(new AssumeRoleError('unable to assume role r: AccessDenied'))).toBe(true);
    // Every Region failed: the aggregate error says so, its cause the last Region's failure.
    const links = ['us-east-1', 'us-west-2'].map((name) => ({ name, provider: async () => Promise.reject(unreachable) }));
    const allRegions = await firstThatAnswers(links, { boundMs: 1000, logger: silentLogger })().catch((error: unknown) => error);
    expect(allRegions).toBeInstanceOf(HelperError);
    expect(failedAtTheService(allRegions)).toBe(true);

    expect(failedAtTheService(new HelperError('unable to parse private key k.pem: wrong password for encrypted PKCS#8 key'))).toBe(false);
    expect(failedAtTheService(new Error('internal'))).toBe(false);
    expect(failedAtTheService(undefined)).toBe(false);
  });
});

describe('keptAfterFailure', () => {
  const now = Date.parse('2029-12-31T23:50:00Z');
  const expiration = new Date('2030-01-01T00:00:00Z');
  const credentials = { accessKeyId: 'ASIAKEPT', secretAccessKey: 's', sessionToken: 't', expiration, expirationText: '2030-01-01T00:00:00Z' };
  const kept = (failedAgoMs: number) => ({ credentials, remainingMs: expiration.getTime() - now, refreshFailedAt: now - failedAgoMs });

  it('hands out the kept credentials for a minute after a failed refresh, then tries again', () => {
    expect(keptAfterFailure(kept(10_000), 'e.json', testContext(), () => now)).toBe(credentials);
    expect(keptAfterFailure(kept(RETRY_AFTER_FAILURE_MS), 'e.json', testContext(), () => now)).toBeUndefined();
  });

  it('says in whole seconds, rounded up, when the next try comes (mutation testing: rounding down survived)', () => {
    const warn = vi.fn();
    keptAfterFailure(kept(10_500), 'e.json', { ...testContext(), logger: { ...silentLogger, warn } }, () => now);
    expect(warn.mock.calls).toEqual([["the cached credentials' refresh failed 11 s ago; handing out those of e.json, valid for 10 more min (next try in 50 s)"]]);
  });

  it('takes a failure dated ahead of the clock (the clock set back since) as no reason to wait: it tries again (QA17 mutation testing)', () => {
    expect(keptAfterFailure(kept(-3_600_000), 'e.json', testContext(), () => now)).toBeUndefined();
  });
});
