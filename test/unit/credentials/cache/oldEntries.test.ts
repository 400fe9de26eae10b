import { existsSync, lstatSync, lutimesSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedCredentials } from '../../../../src/credentials/cache/cachedCredentials.js';
import { VALID_CERTIFICATE } from '../../../support/validCertificate.js';
import { removeOldEntries } from '../../../../src/credentials/cache/oldEntries.js';
import { SHORTCUT_HELPER } from '../../../../src/credentials/cache/shortcut.js';
import { silentLogger } from '../../../../src/log/logger.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'rah-old-entries-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const HOUR = 3600_000;
/** A file in the folder, last written `hoursAgo`. */
function file(name: string, hoursAgo: number, content = '{}'): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  const then = new Date(Date.now() - hoursAgo * HOUR);
  utimesSync(path, then, then);
  return path;
}

describe('removeOldEntries', () => {
  it('removes the entries not written for 13 hours (their credentials have expired), and nothing else (QA: one entry a day stayed)', () => {
    const old = file('0123456789abcdef.json', 14);
    const recent = file('fedcba9876543210.json', 12);
    const other = file('notes.json', 100);
    mkdirSync(join(folder, 'aaaaaaaaaaaaaaaa.json')); // not a file the cache writes
    // Nor is a link, however old (mutation sweep: removing links named as entries passed every test).
    const link = join(folder, 'bbbbbbbbbbbbbbbb.json');
    symlinkSync(other, link);
    lutimesSync(link, new Date(Date.now() - 14 * HOUR), new Date(Date.now() - 14 * HOUR));
    expect(removeOldEntries(folder, Date.now())).toBe(1);
    expect([old, recent, other].map((path) => existsSync(path))).toEqual([false, true, true]);
    expect(existsSync(join(folder, 'aaaaaaaaaaaaaaaa.json'))).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("removes the shortcuts as old whose entry is gone, that say none or that another build wrote; one of this build whose entry is there is in use, however old (QA: a session name per job left a shortcut a job; an upgrade left one per command line)", () => {
    file('0123456789abcdef.json', 14);
    file('fedcba9876543210.json', 1);
    const leads = (entry: string, helper = SHORTCUT_HELPER) => JSON.stringify({ helper, entry, key: 'k' });
    const toRemoved = file('1111111111111111.shortcut', 14, leads('0123456789abcdef.json'));
    const inUse = file('2222222222222222.shortcut', 100, leads('fedcba9876543210.json'));
    const recent = file('3333333333333333.shortcut', 12, leads('4444444444444444.json'));
    const damaged = file('5555555555555555.shortcut', 14, '{"entry":');
    const outside = file('6666666666666666.shortcut', 14, leads('../fedcba9876543210.json'));
    const earlierBuild = file('7777777777777777.shortcut', 14, leads('fedcba9876543210.json', '0.1.0+0000000'));
    const recentEarlierBuild = file('8888888888888888.shortcut', 12, leads('fedcba9876543210.json', '0.1.0+0000000'));
    expect(removeOldEntries(folder, Date.now())).toBe(1);
    expect([toRemoved, inUse, recent, damaged, outside, earlierBuild, recentEarlierBuild].map((path) => existsSync(path))).toEqual([
      false, true, true, false, false, false, true,
    ]);
  });

  it('a folder it cannot read removes nothing', () => {
    expect(removeOldEntries(join(folder, 'none'), Date.now())).toBe(0);
  });

  it('runs after a store, and not on a hit', async () => {
    const path = join(folder, '1111111111111111.json');
    const expiration = new Date(Date.now() + HOUR);
    const fetch = async () => ({ accessKeyId: 'ASIANEW', secretAccessKey: 's', sessionToken: 't', expiration, expirationText: expiration.toISOString() });
    const provider = cachedCredentials(fetch, { path, key: 'k' }, { logger: silentLogger, env: {} }, VALID_CERTIFICATE);
    const first = file('2222222222222222.json', 20);
    await provider();
    expect(existsSync(first)).toBe(false);
    const second = file('3333333333333333.json', 20);
    await provider(); // a hit
    expect(existsSync(second)).toBe(true);
  });
});
