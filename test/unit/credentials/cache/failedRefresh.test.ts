import { describe, expect, it } from 'vitest';
import { failedAtTheService } from '../../../../src/credentials/cache/failedRefresh.js';
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
