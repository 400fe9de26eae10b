import { describe, expect, it } from 'vitest';
import type { CredentialRoute } from '../../../src/credentials/credentialRoute.js';
import { routeProvider } from '../../../src/credentials/routeProvider.js';
import type { SessionConfig } from '../../../src/session/sessionConfig.js';
import type { AssumeRoleOptions } from '../../../src/sts/assumeRole.js';
import type { TemporaryCredentials } from '../../../src/temporaryCredentials.js';
import { testContext } from '../../support/context.js';

const OPTIONS: AssumeRoleOptions = {
  userAgent: 'test',
  transport: { verifyTls: true, timeoutMs: 10_000 },
  retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, deadlineMs: 30_000 },
};
const expiration = new Date(Date.now() + 3_600_000);
const CREDENTIALS: TemporaryCredentials = { accessKeyId: 'AKID', secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() };

describe('routeProvider', () => {
  it("gives a single Region's call the retry deadline, so that CreateSession and the chained call end within it together", async () => {
    const route = { roleArn: 'arn:aws:iam::123456789012:role/r', regions: [{ name: 'us-east-1', session: {} as SessionConfig, sts: undefined }], assumeRole: undefined } satisfies CredentialRoute;
    const deadlines: (number | undefined)[] = [];
    const provider = routeProvider(route, async (_config, deadline) => (deadlines.push(deadline), CREDENTIALS), OPTIONS, testContext());
    const before = Date.now();
    await provider();
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]).toBeGreaterThanOrEqual(before + 30_000);
    expect(deadlines[0]).toBeLessThanOrEqual(Date.now() + 30_000);
  });
});
