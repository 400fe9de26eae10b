import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepCredentialsFileUpdated } from '../../../../src/outputs/credentialsFile/keepUpdated.js';
import { silentLogger } from '../../../../src/log/logger.js';

/** What the write tells of (see WriteNotices), the file written. */
const notices = vi.hoisted(() => ({ lockLeft: [] as string[], misread: [] as string[], writes: 0, written: () => {}, mode: 0o600 }));
vi.mock('../../../../src/outputs/credentialsFile/writeCredentialsFile.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../src/outputs/credentialsFile/writeCredentialsFile.js')>();
  return {
    ...real,
    writeCredentialsFile: async (...args: Parameters<typeof real.writeCredentialsFile>) => {
      for (const reason of notices.lockLeft) args[5]?.lockLeft?.(reason);
      for (const problem of notices.misread) args[5]?.misread?.(problem);
      notices.writes++;
      notices.written();
      return notices.mode;
    },
  };
});

const expiration = new Date(Date.now() + 3_600_000);
const provider = async () => ({ accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() });

describe('keepCredentialsFileUpdated', () => {
  afterEach(() => {
    notices.lockLeft = [];
    notices.misread = [];
    notices.writes = 0;
    notices.written = () => {};
    notices.mode = 0o600;
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

  it('warns of them once a run, not at each refresh that writes the file again (review17: a flag kept per write survived)', async () => {
    notices.misread = ['the credentials file x holds a lone CR'];
    const warn = vi.fn();
    // Credentials of 2 s: refreshed after 1 s, the file written a second time.
    const shortLived = async () => {
      const expiration = new Date(Date.now() + 2_000);
      return { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() };
    };
    const stopped = new Promise<void>((resolve) => {
      notices.written = () => {
        if (notices.writes === 2) resolve();
      };
    });
    await keepCredentialsFileUpdated(shortLived, { path: 'x', profile: 'default', logger: { ...silentLogger, warn }, once: false, stopped });
    expect(notices.writes).toBe(2);
    expect(warn.mock.calls).toEqual([['the credentials file x holds a lone CR']]);
  });

  // Mutation sweep (mutout): each of these passed every unit test when changed.
  it('writes no credentials that are expired when they arrive: a failed refresh, the file untouched', async () => {
    const past = new Date(Date.now() - 1000);
    const expired = async () => ({ accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration: past, expirationText: past.toISOString() });
    await expect(keepCredentialsFileUpdated(expired, { path: 'x', profile: 'default', logger: silentLogger, once: true, stopped: new Promise(() => {}) })).rejects.toThrow(
      `the credentials obtained expired at ${past.toISOString()}, before they could be used`,
    );
    expect(notices.writes).toBe(0);
  });

  it('warns once a run of a file every user may read, and not of one only its group may', async () => {
    const shortLived = async () => {
      const expiration = new Date(Date.now() + 2_000);
      return { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() };
    };
    for (const [mode, warnings] of [[0o644, 1], [0o640, 0]] as const) {
      notices.mode = mode;
      notices.writes = 0;
      const warn = vi.fn();
      const stopped = new Promise<void>((resolve) => {
        notices.written = () => {
          if (notices.writes === 2) resolve();
        };
      });
      await keepCredentialsFileUpdated(shortLived, { path: 'x', profile: 'default', logger: { ...silentLogger, warn }, once: false, stopped });
      expect(notices.writes).toBe(2);
      expect(warn.mock.calls.map(([line]) => line)).toEqual(warnings ? [expect.stringMatching(/^the credentials file x is readable by every user \(mode 0644\)/)] : []);
    }
  });
});
