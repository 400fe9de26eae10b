import { describe, expect, it, vi } from 'vitest';
import { keepCredentialsFileUpdated } from '../../../../src/outputs/credentialsFile/keepUpdated.js';
import { silentLogger } from '../../../../src/log/logger.js';

/** A write whose lock could not be removed once done (its folder on a disk that failed, EIO), the file written. */
vi.mock('../../../../src/outputs/credentialsFile/writeCredentialsFile.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../src/outputs/credentialsFile/writeCredentialsFile.js')>();
  return {
    ...real,
    writeCredentialsFile: async (...args: Parameters<typeof real.writeCredentialsFile>) => {
      args[5]?.lockLeft?.('i/o error');
      return 0o600;
    },
  };
});

describe('keepCredentialsFileUpdated', () => {
  it('warns of a lock it could not remove, which holds the next update up for 10 s, and writes all the same', async () => {
    const warn = vi.fn();
    const expiration = new Date(Date.now() + 3_600_000);
    const provider = async () => ({ accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() });
    await keepCredentialsFileUpdated(provider, { path: '/home/u/.aws/credentials', profile: 'default', logger: { ...silentLogger, warn }, once: true, stopped: new Promise(() => {}) });
    expect(warn.mock.calls).toEqual([['unable to remove the lock of the credentials file /home/u/.aws/credentials: i/o error; another update waits for it until it is 10 s old']]);
  });
});
