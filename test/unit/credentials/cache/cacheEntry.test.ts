import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readEntry, writeEntry, writeMarker } from '../../../../src/credentials/cache/cacheEntry.js';
import type { TemporaryCredentials } from '../../../../src/temporaryCredentials.js';
import { VALID_VALIDITY } from '../../../support/validCertificate.js';

// Real fs throughout; spies only record opens and closes and, where a test says so, make one unlink fail.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, openSync: vi.fn(real.openSync), closeSync: vi.fn(real.closeSync), unlinkSync: vi.fn(real.unlinkSync) };
});

/** How often the temporary file's descriptor was closed (descriptors are reused: only closes after its open count). */
function closesOfTemporary(): number {
  const opened = vi.mocked(fs.openSync).mock;
  const at = opened.calls.findIndex(([path]) => String(path).endsWith('.tmp'));
  const fd = opened.results[at]!.value as number;
  const openedAt = opened.invocationCallOrder[at]!;
  const closed = vi.mocked(fs.closeSync).mock;
  return closed.calls.filter(([closedFd], i) => closedFd === fd && closed.invocationCallOrder[i]! > openedAt).length;
}

const credentials = {
  accessKeyId: 'ASIACACHED',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: new Date('2030-01-01T00:00:00Z'),
  expirationText: '2030-01-01T00:00:00Z',
};

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'rah-entry-'));
  vi.mocked(fs.openSync).mockClear();
  vi.mocked(fs.closeSync).mockClear();
  vi.mocked(fs.unlinkSync).mockClear();
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('a marker of short-lived credentials', () => {
  it('is refused as damaged when it runs further off than such credentials last (15 minutes, and the skew), rather than keep the cache off until then (review)', () => {
    const path = join(folder, 'credentials', 'marker.json');
    writeMarker(path, 'key', { shortLivedUntil: new Date('2030-01-01T00:30:00Z') });
    expect(readEntry(path, 'key', Date.parse('2030-01-01T00:00:00Z'))).toMatchObject({ missing: true, shortLived: true });
    expect(readEntry(path, 'key', Date.parse('2029-12-31T23:59:59Z'))).toEqual({
      unusable: 'its record of short-lived credentials runs until 2030-01-01T00:30:00.000Z, past their 15 minutes: damaged, or the clock was set back',
    });
  });
});

describe("another build's record", () => {
  it("is a miss, not a warning, when it holds no credentials and no marker this build knows: a later build's marker (QA: two installs sharing the cache)", () => {
    const path = join(folder, 'entry.json');
    writeFileSync(path, JSON.stringify({ key: 'key', throttledUntil: '2030-01-01T00:10:00Z' }), { mode: 0o600 });
    expect(readEntry(path, 'key', Date.parse('2030-01-01T00:00:00Z'))).toEqual({ unusable: 'it holds no credentials (a record of another build of the helper)', missing: true });
    // Credentials it holds damaged are still damage.
    writeFileSync(path, JSON.stringify({ key: 'key', credentials: { AccessKeyId: 'ASIA' } }), { mode: 0o600 });
    expect(readEntry(path, 'key', Date.parse('2030-01-01T00:00:00Z'))).toEqual({ unusable: 'it lacks credentials' });
  });
});

describe('writeEntry', () => {
  it('writes an entry that reads back', () => {
    const path = join(folder, 'credentials', 'entry.json');
    writeEntry(path, 'key', credentials, { certificate: VALID_VALIDITY });
    expect(readEntry(path, 'key', Date.parse('2029-12-31T23:00:00Z'))).toMatchObject({ credentials: { accessKeyId: 'ASIACACHED' } });
  });

  it("does not hand out an entry that keeps no certificate validity, an earlier build's, whose certificate may have expired since (QA: upgrades)", () => {
    const path = join(folder, 'credentials', 'old.json');
    writeEntry(path, 'key', credentials, { certificate: undefined });
    expect(readEntry(path, 'key', Date.parse('2029-12-31T23:00:00Z'))).toEqual({
      unusable: "it does not keep the certificate's validity (an earlier build's)",
      missing: true,
      expired: true,
    });
  });

  it('hands out an entry whose certificate starts less than 5 minutes ahead, as credential-process sends such a certificate (review)', () => {
    const path = join(folder, 'credentials', 'early.json');
    const certificate = { notBefore: new Date('2029-12-31T23:03:00Z'), notAfter: new Date('2030-06-01T00:00:00Z') };
    writeEntry(path, 'key', credentials, { certificate });
    expect(readEntry(path, 'key', Date.parse('2029-12-31T23:00:00Z'))).toMatchObject({ credentials: { accessKeyId: 'ASIACACHED' } });
    expect(readEntry(path, 'key', Date.parse('2029-12-31T22:57:00Z'))).toMatchObject({ missing: true, unusable: expect.stringContaining('not now') });
  });

  it('refuses, as damaged, an entry whose credentials expire further off than any session lasts (12 hours, give or take 15 minutes of skew) (QA)', () => {
    const path = join(folder, 'credentials', 'far.json');
    writeEntry(path, 'key', credentials, { certificate: VALID_VALIDITY });
    expect(readEntry(path, 'key', Date.parse('2029-12-31T11:45:00Z'))).toMatchObject({ credentials: { accessKeyId: 'ASIACACHED' } });
    const far = readEntry(path, 'key', Date.parse('2029-12-31T11:44:59Z'));
    expect(far).toEqual({
      unusable: 'its credentials expire at 2030-01-01T00:00:00Z, past any session\'s 12 hours: damaged, or the clock was set back',
    });
  });

  it('does not hand out an entry its group, or everyone else, may read, whichever of the two it is (mutation testing: only 0640 and 0644 were tried)', () => {
    const path = join(folder, 'credentials', 'shared.json');
    writeEntry(path, 'key', credentials, { certificate: VALID_VALIDITY });
    for (const mode of [0o640, 0o604]) {
      fs.chmodSync(path, mode);
      expect(readEntry(path, 'key', Date.parse('2029-12-31T23:00:00Z'))).toEqual({
        unusable: `it is readable by other users (mode 0${mode.toString(8)}), who may have read its credentials`,
      });
    }
  });

  it('writes no entry, nor a marker, in a folder others may write, which it refuses by name (mutation testing: only reads were refused)', () => {
    const open = join(folder, 'open');
    mkdirSync(open, { mode: 0o700 });
    fs.chmodSync(open, 0o777);
    expect(() => writeEntry(join(open, 'entry.json'), 'key', credentials, { certificate: VALID_VALIDITY })).toThrow(`the folder ${open} is writable by others`);
    expect(() => writeMarker(join(open, 'marker.json'), 'key', { shortLivedUntil: new Date('2030-01-01T00:10:00Z') })).toThrow(`the folder ${open} is writable by others`);
    expect(readdirSync(open)).toEqual([]);
  });

  it('when the rename fails, closes the file once, removes it, and throws why the rename failed', () => {
    // A folder (not empty) where the entry goes: rename(2) cannot replace it.
    const path = join(folder, 'entry.json');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), '');
    expect(() => writeEntry(path, 'key', credentials, { certificate: VALID_VALIDITY })).toThrow(expect.objectContaining({ syscall: 'rename' }));
    expect(closesOfTemporary()).toBe(1);
    expect(readdirSync(folder)).toEqual(['entry.json']);
  });

  it('throws why the rename failed even when the leftover cannot be removed', () => {
    const path = join(folder, 'entry.json');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), '');
    vi.mocked(fs.unlinkSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('EACCES: permission denied, unlink'), { code: 'EACCES', syscall: 'unlink' });
    });
    expect(() => writeEntry(path, 'key', credentials, { certificate: VALID_VALIDITY })).toThrow(expect.objectContaining({ syscall: 'rename' }));
    // The failing unlink was the attempt to remove the leftover: that is the failure being shown not to matter.
    expect(vi.mocked(fs.unlinkSync)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(fs.unlinkSync).mock.calls[0]![0]).toMatch(/\/\.entry\.json\.\d+\.\w+\.tmp$/);
  });
});

describe('readEntry', () => {
  const at = (iso: string) => Date.parse(iso);
  const written = (name: string, extra: Partial<TemporaryCredentials> = {}) => {
    const path = join(folder, 'credentials', name);
    writeEntry(path, 'key', { ...credentials, ...extra }, { certificate: VALID_VALIDITY });
    return path;
  };

  it("hands out the AccountId stored with the credentials, which credential-process prints (mutation testing: dropping it, on write or on read, survived)", () => {
    const path = written('account.json', { accountId: '123456789012' });
    expect(readEntry(path, 'key', at('2029-12-31T23:00:00Z'))).toMatchObject({ credentials: { accessKeyId: 'ASIACACHED', accountId: '123456789012' } });
  });

  it('hands out no credentials with exactly 15 minutes left, and keeps none to fall back on at their expiry (mutation testing: both boundaries survived)', () => {
    const path = written('edge.json');
    expect(readEntry(path, 'key', at('2029-12-31T23:44:59.999Z'))).toMatchObject({ remainingMs: 15 * 60_000 + 1 });
    expect(readEntry(path, 'key', at('2029-12-31T23:45:00Z'))).toMatchObject({ missing: true, expired: true, lastGood: { remainingMs: 15 * 60_000 } });
    expect(readEntry(path, 'key', at('2029-12-31T23:59:59.999Z'))).toMatchObject({ lastGood: { remainingMs: 1 } });
    expect(readEntry(path, 'key', at('2030-01-01T00:00:00Z'))).toEqual({ unusable: 'it expired 0 min ago', missing: true, expired: true });
  });

  it("is a miss, not a warning, for an entry written for other key material (two option sets' names colliding); and refuses, with a warning, one whose credentials hold an empty field (mutation testing: both survived)", () => {
    const path = written('entry.json');
    expect(readEntry(path, 'other key', at('2029-12-31T23:00:00Z'))).toEqual({ unusable: 'it is for other credentials', missing: true });
    const stored = JSON.parse(fs.readFileSync(path, 'utf8'));
    for (const field of ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']) {
      fs.writeFileSync(path, JSON.stringify({ ...stored, credentials: { ...stored.credentials, [field]: '' } }), { mode: 0o600 });
      expect(readEntry(path, 'key', at('2029-12-31T23:00:00Z'))).toEqual({ unusable: 'it lacks credentials' });
    }
  });
});

describe('a marker', () => {
  it("that records a failure without its reason is another build's record, not a failure to fail with; one of short-lived credentials past is no entry (mutation testing: both survived)", () => {
    const path = join(folder, 'marker.json');
    fs.writeFileSync(path, JSON.stringify({ key: 'key', failedAt: '2030-01-01T00:00:00Z' }), { mode: 0o600 });
    expect(readEntry(path, 'key', Date.parse('2030-01-01T00:01:00Z'))).toEqual({ unusable: 'it holds no credentials (a record of another build of the helper)', missing: true });
    writeMarker(path, 'key', { shortLivedUntil: new Date('2030-01-01T00:00:00Z') });
    expect(readEntry(path, 'key', Date.parse('2030-01-01T00:00:00Z'))).toEqual({ unusable: 'no entry', missing: true });
  });
});

describe('an entry that is a symbolic link', () => {
  it('is refused by name, with a warning, not taken for a miss (mutation testing: survived the unit tests)', () => {
    const target = join(folder, 'elsewhere.json');
    writeEntry(target, 'key', credentials, { certificate: VALID_VALIDITY });
    const path = join(folder, 'entry.json');
    fs.symlinkSync(target, path);
    expect(readEntry(path, 'key', Date.parse('2029-12-31T23:00:00Z'))).toEqual({ unusable: 'it is a symbolic link' });
  });
});
