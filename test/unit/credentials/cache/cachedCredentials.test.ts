import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cachedCredentials } from '../../../../src/credentials/cache/cachedCredentials.js';
import type { Logger } from '../../../../src/log/logger.js';
import { silentLogger } from '../../../../src/log/logger.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'rah-cached-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function fetched(id: string) {
  const expiration = new Date(Date.now() + 3600_000);
  return { accessKeyId: id, secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() };
}

describe('cachedCredentials', () => {
  it('stores what it fetched after giving up on a lock another process keeps, so that the next call hits at once', async () => {
    const path = join(folder, 'credentials', 'entry.json');
    mkdirSync(`${path}.lock`, { recursive: true }); // held, and kept fresh: a holder that hangs
    const debug = vi.fn();
    const logger: Logger = { ...silentLogger, debug };
    const fetch = vi.fn(async () => fetched(`ASIA${fetch.mock.calls.length}`));
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger, env: {} }, { lockWaitMs: 200 });
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
});
