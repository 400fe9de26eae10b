import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepCredentialsFileUpdated } from '../../../../src/outputs/credentialsFile/keepUpdated.js';
import { silentLogger } from '../../../../src/log/logger.js';

/** What the write tells of (see WriteNotices), the file written. */
const notices = vi.hoisted(() => ({ lockLeft: [] as string[], misread: [] as string[] }));
vi.mock('../../../../src/outputs/credentialsFile/writeCredentialsFile.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../src/outputs/credentialsFile/writeCredentialsFile.js')>();
  return {
    ...real,
    writeCredentialsFile: async (...args: Parameters<typeof real.writeCredentialsFile>) => {
      for (const reason of notices.lockLeft) args[5]?.lockLeft?.(reason);
      for (const problem of notices.misread) args[5]?.misread?.(problem);
      return 0o600;
    },
  };
});

const expiration = new Date(Date.now() + 3_600_000);
const provider = async () => ({ accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() });

describe('keepCredentialsFileUpdated', () => {
  afterEach(() => {
    notices.lockLeft = [];
    notices.misread = [];
  });

  it('warns of a lock it could not remove (its folder on a disk that failed, EIO), which holds the next update up for 10 s, and writes all the same', async () => {
    notices.lockLeft = ['i/o error'];
    const warn = vi.fn();
    await keepCredentialsFileUpdated(provider, { path: '/home/u/.aws/credentials', profile: 'default', logger: { ...silentLogger, warn }, once: true, stopped: new Promise(() => {}) });
    expect(warn.mock.calls).toEqual([['unable to remove the lock of the credentials file /home/u/.aws/credentials: i/o error; another update waits for it until it is 10 s old']]);
  });

  it('warns, once a run, of credentials written that some readers miss (lone CRs)', async () => {
    notices.misread = ['the credentials file x holds a lone CR', 'the credentials file x holds a lone CR'];
    const warn = vi.fn();
    await keepCredentialsFileUpdated(provider, { path: 'x', profile: 'default', logger: { ...silentLogger, warn }, once: true, stopped: new Promise(() => {}) });
    expect(warn.mock.calls).toEqual([['the credentials file x holds a lone CR']]);
  });
});
