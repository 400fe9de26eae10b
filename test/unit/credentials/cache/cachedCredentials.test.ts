import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cachedCredentials } from '../../../../src/credentials/cache/cachedCredentials.js';
import { VALID_CERTIFICATE, VALID_VALIDITY } from '../../../support/validCertificate.js';
import { writeEntry, writeMarker } from '../../../../src/credentials/cache/cacheEntry.js';
import type { Logger } from '../../../../src/log/logger.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { CreateSessionError, HelperError, InterruptedError, OperationStoppedError } from '../../../../src/errors.js';

/** A lock this process took, but which, with `lost` set, another has since taken over (stillHeld false). */
/** With `releaseError` set, the lock's release fails with it (its folder could not be removed), once it has done its part. */
const lockState = vi.hoisted(() => ({ lost: false, releaseError: undefined as Error | undefined }));
vi.mock('../../../../src/files/lockFile.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../src/files/lockFile.js')>();
  return {
    ...real,
    lockFile: async (...args: Parameters<typeof real.lockFile>) => {
      const held = await real.lockFile(...args);
      const release = async () => {
        await held.release();
        if (lockState.releaseError) throw lockState.releaseError;
      };
      return { ...held, release, stillHeld: () => !lockState.lost && held.stillHeld() };
    },
  };
});

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'rah-cached-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
  lockState.lost = false;
  lockState.releaseError = undefined;
});

function fetched(id: string) {
  const expiration = new Date(Date.now() + 3600_000);
  return { accessKeyId: id, secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() };
}

describe('cachedCredentials', () => {
  it("says, once, after 4 s, that it waits for another run's CreateSession, and nothing when the lock comes at once (QA: 30 s of silence)", async () => {
    const path = join(folder, 'credentials', 'entry.json');
    mkdirSync(`${path}.lock`, { recursive: true }); // held by a run whose CreateSession hangs
    const info = vi.fn();
    const fetch = vi.fn(async () => fetched('ASIAOWN'));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, info }, env: {} }, { ...VALID_CERTIFICATE, lockWaitMs: 4_600 });
    expect((await provider()).accessKeyId).toBe('ASIAOWN');
    expect(info.mock.calls).toEqual([[`waiting for another run's CreateSession (or its prompt for a password or PIN), which holds the lock of ${path}`]]);
    rmdirSync(`${path}.lock`);
    info.mockClear();
    await cachedCredentials(fetch, { path: join(folder, 'credentials', 'other.json'), key: 'k' }, { logger: { ...silentLogger, info }, env: {} }, VALID_CERTIFICATE)();
    await new Promise((resolve) => setTimeout(resolve, 4_200));
    expect(info).not.toHaveBeenCalled();
  }, 20_000);

  it('hands out and stores what it fetched when its lock cannot be removed after (EIO), and says so, where it said nothing of the next run held up', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    lockState.releaseError = Object.assign(new Error('EIO: i/o error, rmdir'), { code: 'EIO', syscall: 'rmdir', path: `${path}.lock` });
    const warn = vi.fn();
    const fetch = vi.fn(async () => fetched('ASIAOWN'));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, VALID_CERTIFICATE);
    expect((await provider()).accessKeyId).toBe('ASIAOWN');
    expect(warn.mock.calls).toEqual([[expect.stringMatching(new RegExp(`^unable to remove the lock of credential cache entry ${path}: .*i/o error.*; a run that needs it waits until it is 10 s old$`))]]);
    expect(existsSync(path)).toBe(true);
  });

  it('stores what it fetched after giving up on a lock another process keeps, so that the next call hits at once', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    mkdirSync(`${path}.lock`, { recursive: true }); // held, and kept fresh: a holder that hangs
    const debug = vi.fn();
    const logger: Logger = { ...silentLogger, debug };
    const fetch = vi.fn(async () => fetched(`ASIA${fetch.mock.calls.length}`));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger, env: {} }, { ...VALID_CERTIFICATE, lockWaitMs: 200 });
    expect((await provider()).accessKeyId).toBe('ASIA1');
    expect(debug.mock.calls.map(([line]) => line)).toEqual([
      `credential cache: miss (${path}: no entry)`,
      'credential cache: gave up waiting for another process; fetching',
      `credential cache: stored ${path}`,
    ]);
    expect((await provider()).accessKeyId).toBe('ASIA1');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(existsSync(`${path}.lock`)).toBe(true); // another's, left as it is
  });
  it("stops waiting for another process's CreateSession once its session has closed, fetching nothing (review: up to 33 s after close())", async () => {
    const path = join(folder, 'credentials', 'entry.json');
    mkdirSync(`${path}.lock`, { recursive: true }); // held by a process that is still fetching
    const warn = vi.fn();
    const fetch = vi.fn(async () => fetched('ASIANEVER'));
    let reason: string | undefined;
    // Waiting for longer than the test may last: a wait that the close does not end fails the test (or takes the
    // lock once stale and fetches), with no timing assert.
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, { ...VALID_CERTIFICATE, lockWaitMs: 10 * 60_000, stopped: () => reason });
    const pending = provider();
    setTimeout(() => (reason = 'the session was closed'), 100);
    await expect(pending).rejects.toThrow(new OperationStoppedError(`stopped waiting for another process's CreateSession (${path}): the session was closed`));
    expect(fetch).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('stores no credentials that expire further off than any session lasts (the clock behind the service\'s), which every later call would refuse with a warning', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const debug = vi.fn();
    const warn = vi.fn();
    const logger: Logger = { ...silentLogger, debug, warn };
    const expiration = new Date(Date.now() + 12.5 * 3600_000);
    const fetch = vi.fn(async () => ({ ...fetched(`ASIA${fetch.mock.calls.length}`), expiration, expirationText: expiration.toISOString() }));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger, env: {} }, VALID_CERTIFICATE);
    expect((await provider()).accessKeyId).toBe('ASIA1');
    expect((await provider()).accessKeyId).toBe('ASIA2');
    expect(existsSync(path)).toBe(false);
    expect(warn).not.toHaveBeenCalled();
    expect(debug).toHaveBeenCalledWith(
      `credential cache: not stored (${path}): they expire at ${expiration.toISOString()}, past any session's 12 hours (this clock behind?)`,
    );
  });
});

describe('cachedCredentials with credentials shorter-lived than 15 minutes', () => {
  it('marks the entry so that the runs until they expire fetch without the lock (mutation sweep: writing no marker passed every test)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const debug = vi.fn();
    const expiration = new Date(Date.now() + 10 * 60_000);
    const fetch = vi.fn(async () => ({ ...fetched(`ASIA${fetch.mock.calls.length}`), expiration, expirationText: expiration.toISOString() }));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, debug }, env: {} }, VALID_CERTIFICATE);
    expect((await provider()).accessKeyId).toBe('ASIA1');
    debug.mockClear();
    expect((await provider()).accessKeyId).toBe('ASIA2');
    expect(debug.mock.calls.map(([line]) => line)).toEqual([expect.stringMatching(new RegExp(`^credential cache: not used \\(${path}\\): `))]);
  });
});

describe('cachedCredentials with forceRefresh (the SDK\'s: credentials that were refused)', () => {
  it('fetches past a valid entry and writes over it, so that the next call, and other processes, get the new credentials (QA: no way to drop refused ones)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const debug = vi.fn();
    const fetch = vi.fn(async () => fetched(`ASIA${fetch.mock.calls.length}`));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, debug }, env: {} }, VALID_CERTIFICATE);
    expect((await provider()).accessKeyId).toBe('ASIA1');
    expect((await provider()).accessKeyId).toBe('ASIA1');
    debug.mockClear();
    expect((await provider({ forceRefresh: true })).accessKeyId).toBe('ASIA2');
    expect(debug.mock.calls.map(([line]) => line)).toEqual([`credential cache: refresh forced (${path})`, `credential cache: stored ${path}`]);
    expect((await provider()).accessKeyId).toBe('ASIA2');
    const another = cachedCredentials(fetch, { path, key: 'k' }, { logger: silentLogger, env: {} }, VALID_CERTIFICATE);
    expect((await another()).accessKeyId).toBe('ASIA2');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('fails when the forced fetch fails, rather than handing out the entry it was asked to get past', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    let fail = false;
    const fetch = vi.fn(async () => {
      if (fail) throw new CreateSessionError('unable to reach the endpoint: connect ECONNREFUSED 127.0.0.1:9', { tryNextLink: true });
      return fetched('ASIAFIRST');
    });
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: silentLogger, env: {} }, VALID_CERTIFICATE);
    await provider();
    fail = true;
    await expect(provider({ forceRefresh: true })).rejects.toThrow('unable to reach the endpoint: connect ECONNREFUSED 127.0.0.1:9');
    expect((await provider()).accessKeyId).toBe('ASIAFIRST'); // the entry itself is left as it was
  });

  it('fetches past the entry too after giving up on a lock another process keeps, rather than hand out the refused credentials (mutation sweep)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const fetch = vi.fn(async () => fetched(`ASIA${fetch.mock.calls.length}`));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: silentLogger, env: {} }, { ...VALID_CERTIFICATE, lockWaitMs: 200 });
    expect((await provider()).accessKeyId).toBe('ASIA1');
    mkdirSync(`${path}.lock`); // held, and kept fresh: a holder that hangs
    expect((await provider({ forceRefresh: true })).accessKeyId).toBe('ASIA2');
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

describe('cachedCredentials when the refresh fails', () => {
  /** A CreateSession that fails at the endpoint, as every run's would. */
  const failingFetch = () =>
    vi.fn(async (): Promise<ReturnType<typeof fetched>> => {
      throw new CreateSessionError('unable to reach the endpoint: connect ECONNREFUSED 127.0.0.1:9', { tryNextLink: true });
    });
  const failing = failingFetch();
  /** An entry holding `stored`, whose lock another process holds (fresh) for 300 ms, then does `then` under it and lets go. */
  function refreshedByAnother(path: string, stored: ReturnType<typeof fetched>, then: () => void): Promise<void> {
    mkdirSync(dirname(path), { recursive: true });
    writeEntry(path, 'k', stored, { certificate: VALID_VALIDITY });
    mkdirSync(`${path}.lock`);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        then();
        rmdirSync(`${path}.lock`);
        resolve();
      }, 300),
    );
  }
  /** An entry whose credentials have `minutes` left, stored by a first call at a clock set back by that much. */
  async function entryWith(minutes: number, path: string) {
    const start = Date.now();
    await cachedCredentials(async () => fetched('ASIASTORED'), { path, key: 'k' }, { logger: silentLogger, env: {} }, { ...VALID_CERTIFICATE, now: () => start })();
    return () => start + (60 - minutes) * 60_000;
  }

  it('hands out the entry while it is still valid (14 minutes left), with a warning naming the failure', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const now = await entryWith(14, path);
    const warn = vi.fn();
    const provider = cachedCredentials(failing, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, { ...VALID_CERTIFICATE, now });
    expect((await provider()).accessKeyId).toBe('ASIASTORED');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls).toEqual([[
      `unable to refresh the cached credentials (unable to reach the endpoint: connect ECONNREFUSED 127.0.0.1:9); handing out those of ${path}, valid for 14 more min (next try in 60 s)`,
    ]]);
  });

  it("gives a fetch stopped by the session's close() its stop, not the entry with a warning, and records nothing (review)", async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const now = await entryWith(14, path);
    const warn = vi.fn();
    const stopped = vi.fn(async (): Promise<ReturnType<typeof fetched>> => {
      throw new OperationStoppedError('operation error RolesAnywhere: CreateSession, stopped before attempt 2: the session was closed');
    });
    const provider = cachedCredentials(stopped, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, { ...VALID_CERTIFICATE, now });
    await expect(provider()).rejects.toThrow('stopped before attempt 2: the session was closed');
    expect(warn).not.toHaveBeenCalled();
    // The next call tries again at once: no failure was recorded.
    expect((await cachedCredentials(async () => fetched('ASIAFRESH'), { path, key: 'k' }, { logger: silentLogger, env: {} }, { ...VALID_CERTIFICATE, now })()).accessKeyId).toBe('ASIAFRESH');
  });

  it('gives a fetch ended by Ctrl-C at its prompt its InterruptedError, not the entry with a warning, so that the command ends with 130 (review)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const now = await entryWith(14, path);
    const warn = vi.fn();
    const interrupted = vi.fn(async (): Promise<ReturnType<typeof fetched>> => {
      throw new InterruptedError('SIGINT', 130);
    });
    const provider = cachedCredentials(interrupted, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, { ...VALID_CERTIFICATE, now });
    await expect(provider()).rejects.toBeInstanceOf(InterruptedError);
    expect(warn).not.toHaveBeenCalled();
  });

  it('says "less than a minute" of an entry in its last minute, not "0 more min"', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const now = await entryWith(0.5, path);
    const warn = vi.fn();
    const provider = cachedCredentials(failingFetch(), { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, { ...VALID_CERTIFICATE, now });
    expect((await provider()).accessKeyId).toBe('ASIASTORED');
    expect(warn.mock.calls.at(-1)![0]).toMatch(/, valid for less than a minute more \(next try in 60 s\)$/);
    expect((await provider()).accessKeyId).toBe('ASIASTORED');
    expect(warn.mock.calls.at(-1)![0]).toMatch(/^the cached credentials' refresh failed 0 s ago; .*, valid for less than a minute more \(next try in 60 s\)$/);
  });

  it('after a failed refresh, hands the entry out at once for a minute (each run would wait for the endpoint), then tries again', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const entryTime = await entryWith(14, path);
    let clock = entryTime();
    const warn = vi.fn();
    const fetch = failingFetch();
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, { ...VALID_CERTIFICATE, now: () => clock });
    expect((await provider()).accessKeyId).toBe('ASIASTORED');
    clock += 30_000;
    expect((await provider()).accessKeyId).toBe('ASIASTORED');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls.at(-1)).toEqual([
      `the cached credentials' refresh failed 30 s ago; handing out those of ${path}, valid for 13 more min (next try in 30 s)`,
    ]);
    clock += 31_000;
    fetch.mockImplementationOnce(async () => fetched('ASIAFRESH'));
    expect((await provider()).accessKeyId).toBe('ASIAFRESH');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("records no failure of this run's own (a wrong password), nor one under a lock another process has taken over: the next run tries again", async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const now = await entryWith(14, path);
    const warn = vi.fn();
    const wrongPassword = vi.fn(async (): Promise<ReturnType<typeof fetched>> => {
      throw new HelperError('unable to parse private key k.pem: wrong password for encrypted PKCS#8 key');
    });
    const provider = cachedCredentials(wrongPassword, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, { ...VALID_CERTIFICATE, now });
    expect((await provider()).accessKeyId).toBe('ASIASTORED');
    expect((await provider()).accessKeyId).toBe('ASIASTORED');
    expect(wrongPassword).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls.at(-1)).toEqual([
      `unable to refresh the cached credentials (unable to parse private key k.pem: wrong password for encrypted PKCS#8 key); handing out those of ${path}, valid for 14 more min`,
    ]);

    lockState.lost = true;
    const fetch = failingFetch();
    const taken = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, { ...VALID_CERTIFICATE, now });
    expect((await taken()).accessKeyId).toBe('ASIASTORED');
    expect(warn.mock.calls.at(-1)![0]).not.toContain('next try');
    expect(readFileSync(path, 'utf8')).not.toContain('refreshFailedAt');
    expect((await taken()).accessKeyId).toBe('ASIASTORED');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('hands the entry out at once while another process holds its lock (refreshing it), rather than wait for that process', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const now = await entryWith(14, path);
    mkdirSync(`${path}.lock`); // held, and fresh
    const debug = vi.fn();
    const fetch = failingFetch();
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, debug }, env: {} }, { ...VALID_CERTIFICATE, now, lockWaitMs: 60_000 });
    expect((await provider()).accessKeyId).toBe('ASIASTORED');
    expect(fetch).not.toHaveBeenCalled();
    expect(debug.mock.calls.at(-1)).toEqual([`credential cache: another process is refreshing ${path}; handing out its credentials, valid for 14 more min`]);
  });

  it('waits for that refresh instead when the entry has under 10 minutes left, which SDKs would take for expired (QA: 6 s left through the AWS CLI)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const valid = (id: string, minutes: number) => {
      const expiration = new Date(Date.now() + minutes * 60_000);
      return { ...fetched(id), expiration, expirationText: expiration.toISOString() };
    };
    // The other process, whose refresh ends 300 ms later.
    const refreshed = refreshedByAnother(path, valid('ASIAOLD', 9), () => writeEntry(path, 'k', valid('ASIAREFRESHED', 60), { certificate: VALID_VALIDITY }));
    const debug = vi.fn();
    const fetch = failingFetch();
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, debug }, env: {} }, { ...VALID_CERTIFICATE, lockWaitMs: 5_000 });
    expect((await provider()).accessKeyId).toBe('ASIAREFRESHED');
    expect(fetch).not.toHaveBeenCalled();
    expect(debug.mock.calls.at(-1)![0]).toMatch(/^credential cache: hit after waiting /);
    await refreshed;
  });

  it("fails, after giving up on a lock still held, with the failure its holder recorded meanwhile, rather than make the same call again (mutation sweep)", async () => {
    const path = join(folder, 'credentials', 'entry.json');
    mkdirSync(`${path}.lock`, { recursive: true }); // held by a run whose CreateSession fails, and that stalls after saying so
    setTimeout(() => writeMarker(path, 'k', { failedAt: new Date(), failure: 'AccessDeniedException: Untrusted Signing Certificate' }), 100);
    const fetch = vi.fn(async () => fetched('ASIANEVER'));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: silentLogger, env: {} }, { ...VALID_CERTIFICATE, lockWaitMs: 600 });
    await expect(provider()).rejects.toThrow(
      new HelperError('AccessDeniedException: Untrusted Signing Certificate (the CreateSession of another run this one waited for; not tried again at once)'),
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it("records no failure of this run's own, nor one under a lock taken over, when there is no entry either: the runs waiting for it try for themselves (mutation sweep)", async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const wrongPassword = vi.fn(async (): Promise<ReturnType<typeof fetched>> => {
      throw new HelperError('unable to parse private key k.pem: wrong password for encrypted PKCS#8 key');
    });
    await expect(cachedCredentials(wrongPassword, { path, key: 'k' }, { logger: silentLogger, env: {} }, VALID_CERTIFICATE)()).rejects.toThrow('wrong password');
    expect(existsSync(path)).toBe(false);
    const failing = failingFetch();
    await expect(cachedCredentials(failing, { path, key: 'k' }, { logger: silentLogger, env: {} }, VALID_CERTIFICATE)()).rejects.toThrow('unable to reach the endpoint');
    expect(readFileSync(path, 'utf8')).toContain('unable to reach the endpoint'); // one at the service is
    // Not under a lock another process has taken over: that process's own outcome goes there (mutation sweep).
    rmSync(path);
    lockState.lost = true;
    await expect(cachedCredentials(failing, { path, key: 'k' }, { logger: silentLogger, env: {} }, VALID_CERTIFICATE)()).rejects.toThrow('unable to reach the endpoint');
    expect(existsSync(path)).toBe(false);
  });

  it('tries the service itself past a failure recorded ahead of the clock (one set back since), not failing with it (QA)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    writeMarker(path, 'k', { failedAt: new Date(Date.now() + 30 * 60_000), failure: 'Signature expired' });
    const provider = cachedCredentials(async () => fetched('ASIA-FRESH'), { path, key: 'k' }, { logger: silentLogger, env: {} }, VALID_CERTIFICATE);
    expect((await provider()).accessKeyId).toBe('ASIA-FRESH');
  });

  it('fails as without the cache once the entry has expired, or when there is none', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const now = await entryWith(-1, path);
    const provider = cachedCredentials(failing, { path, key: 'k' }, { logger: silentLogger, env: {} }, { ...VALID_CERTIFICATE, now });
    await expect(provider()).rejects.toThrow('unable to reach the endpoint');
    const none = cachedCredentials(failing, { path: join(folder, 'credentials', 'other.json'), key: 'k' }, { logger: silentLogger, env: {} }, VALID_CERTIFICATE);
    await expect(none()).rejects.toThrow('unable to reach the endpoint');
  });

  it('fetches when forced, past an entry whose refresh failed a moment ago, which it would otherwise hand out for a minute (mutation testing: handing it out survived)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const now = await entryWith(14, path);
    const fetch = failingFetch();
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: silentLogger, env: {} }, { ...VALID_CERTIFICATE, now });
    expect((await provider()).accessKeyId).toBe('ASIASTORED'); // the failure recorded
    fetch.mockImplementationOnce(async () => fetched('ASIAFORCED'));
    expect((await provider({ forceRefresh: true })).accessKeyId).toBe('ASIAFORCED');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("hands out, without a fetch of its own, the entry whose refresh failed in the run whose lock it waited for (mutation testing: fetching again survived)", async () => {
    const path = join(folder, 'credentials', 'entry.json');
    const expiration = new Date(Date.now() + 9 * 60_000);
    const kept = { ...fetched('ASIAKEPT'), expiration, expirationText: expiration.toISOString() };
    // The other run, whose refresh fails 300 ms later, and which records so.
    const recorded = refreshedByAnother(path, kept, () => writeEntry(path, 'k', kept, { certificate: VALID_VALIDITY, refreshFailedAt: new Date() }));
    const warn = vi.fn();
    const fetch = failingFetch();
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, { ...VALID_CERTIFICATE, lockWaitMs: 5_000 });
    expect((await provider()).accessKeyId).toBe('ASIAKEPT');
    expect(fetch).not.toHaveBeenCalled();
    expect(warn.mock.calls).toEqual([[expect.stringMatching(new RegExp(`^the cached credentials' refresh failed \\d+ s ago; handing out those of ${path}, valid for 8 more min \\(next try in \\d+ s\\)$`))]]);
    await recorded;
  });

  it('hands out what the run whose lock it gave up on stored meanwhile when its own fetch fails, rather than fail (mutation testing: failing survived)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    mkdirSync(`${path}.lock`, { recursive: true }); // held by a run that stalls, then stores
    const fetch = vi.fn(async (): Promise<ReturnType<typeof fetched>> => {
      writeEntry(path, 'k', fetched('ASIATHEIRS'), { certificate: VALID_VALIDITY });
      throw new CreateSessionError('unable to reach the endpoint: connect ECONNREFUSED 127.0.0.1:9', { tryNextLink: true });
    });
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: silentLogger, env: {} }, { ...VALID_CERTIFICATE, lockWaitMs: 200 });
    expect((await provider()).accessKeyId).toBe('ASIATHEIRS');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('cachedCredentials with an entry it cannot use', () => {
  it('warns once per call of a damaged entry, which it looks at again under the lock, and replaces it (mutation testing: a warning a look survived)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, '{"key":"k","credentials":', { mode: 0o600 });
    const warn = vi.fn();
    const fetch = vi.fn(async () => fetched('ASIANEW'));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: { ...silentLogger, warn }, env: {} }, VALID_CERTIFICATE);
    expect((await provider()).accessKeyId).toBe('ASIANEW');
    expect(warn.mock.calls).toEqual([[`ignoring the cached credentials ${path}: it is not valid JSON (damaged or cut short)`]]);
    expect((await provider()).accessKeyId).toBe('ASIANEW');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('cachedCredentials after a failure an earlier run recorded', () => {
  it('tries the service itself, a failure recorded before it began to wait being no run it waited for (mutation testing: failing with it survived)', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    writeMarker(path, 'k', { failedAt: new Date(Date.now() - 5 * 60_000), failure: 'AccessDeniedException: Untrusted Signing Certificate' });
    const fetch = vi.fn(async () => fetched('ASIA-AFTER'));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: silentLogger, env: {} }, VALID_CERTIFICATE);
    expect((await provider()).accessKeyId).toBe('ASIA-AFTER');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
