import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEntry, writeEntry } from '../../../../src/credentials/cache/cacheEntry.js';
import { VALID_VALIDITY } from '../../../support/validCertificate.js';
import { fileStamp, isSettled } from '../../../../src/files/fileStamp.js';
import {
  fileStamps,
  followShortcut,
  readsRecorded,
  SHORTCUT_HELPER,
  shortcutPath,
  writeShortcut,
  type Shortcut,
} from '../../../../src/credentials/cache/shortcut.js';

const credentials = {
  accessKeyId: 'ASIASHORTCUT',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: new Date('2030-01-01T00:00:00Z'),
  expirationText: '2030-01-01T00:00:00Z',
};
const NOW = Date.parse('2029-12-31T23:00:00Z');
const ENTRY = '0123456789abcdef.json';
const ARGS = ['--certificate', 'cert.pem', '--cache'];
/** The environment the shortcuts below are written in: an endpoint variable, which names the shortcut, and another. */
const ENV = { AWS_REGION: 'eu-west-1', HOME: '/home/someone' };

let work: string;
let folder: string;
let certificate: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'rah-shortcut-'));
  folder = join(work, 'credentials');
  certificate = join(work, 'cert.pem');
  writeFileSync(certificate, 'certificate');
  writeEntry(join(folder, ENTRY), 'key material', credentials, { certificate: VALID_VALIDITY });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const stampOf = (path: string) => {
  const found = fileStamp(path);
  if (!found || !('stamp' in found)) throw new Error(`${path} is not a regular file`);
  return found.stamp;
};

/** A shortcut for ARGS to the entry, written in ENV. */
function shortcut(overrides: Partial<Shortcut> = {}): Shortcut {
  return {
    helper: SHORTCUT_HELPER,
    args: ARGS,
    env: { HOME: '/home/someone', AWS_ENDPOINT_URL_STS: null },
    files: [[certificate, stampOf(certificate)]],
    entry: ENTRY,
    key: 'key material',
    ...overrides,
  };
}

const write = (overrides: Partial<Shortcut> = {}) => writeShortcut(folder, shortcut(overrides), ENV);
const follow = (env: Record<string, string> = ENV, args = ARGS) => followShortcut(folder, args, env, NOW);

describe('followShortcut', () => {
  it('leads to the entry while everything it recorded is as it was', () => {
    write();
    expect(follow()).toMatchObject({ accessKeyId: 'ASIASHORTCUT', expirationText: '2030-01-01T00:00:00Z' });
    const path = shortcutPath(folder, ARGS, ENV);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder).sort()).toEqual([ENTRY, path.split('/').pop()].sort());
  });

  it('leads nowhere for other arguments', () => {
    write();
    expect(follow(ENV, ['--certificate', 'cert.pem', '--cache', '--debug'])).toBeUndefined();
    expect(follow(ENV, ['--certificate', 'cert.pem'])).toBeUndefined();
  });

  it('leads nowhere once a recorded variable is set, changed or unset', () => {
    write();
    expect(follow({ ...ENV, AWS_ENDPOINT_URL_STS: 'http://localhost' })).toBeUndefined();
    expect(follow({ ...ENV, HOME: '/home/other' })).toBeUndefined();
    expect(follow({ AWS_REGION: 'eu-west-1' })).toBeUndefined();
    // Variables it did not record do not matter.
    expect(follow({ ...ENV, SOMETHING_ELSE: 'x' })).toMatchObject({ accessKeyId: 'ASIASHORTCUT' });
  });

  it('keeps one per set of endpoint variables: callers that set them otherwise do not replace each other\'s', () => {
    write();
    const elsewhere = { ...ENV, AWS_REGION: 'us-east-1' };
    writeShortcut(folder, shortcut({ key: 'other key material' }), elsewhere);
    expect(shortcutPath(folder, ARGS, elsewhere)).not.toBe(shortcutPath(folder, ARGS, ENV));
    expect(existsSync(shortcutPath(folder, ARGS, elsewhere))).toBe(true);
    expect(follow()).toMatchObject({ accessKeyId: 'ASIASHORTCUT' });
    expect(follow(elsewhere)).toBeUndefined(); // its entry holds other key material
  });

  it('leads nowhere once a recorded file is rewritten (even to the same size and modification time), replaced or removed', async () => {
    // Whole seconds, which utimes restores exactly: only the change time tells the rewrite. Later than
    // the stamp by more than a kernel tick, after which file times differ even where they move by ticks.
    utimesSync(certificate, 1_700_000_000, 1_700_000_000);
    write();
    await sleep(30);
    writeFileSync(certificate, 'CERTIFICATE');
    utimesSync(certificate, 1_700_000_000, 1_700_000_000);
    expect(statSync(certificate).mtimeMs).toBe(1_700_000_000_000);
    expect(follow()).toBeUndefined();
    write();
    expect(follow()).toMatchObject({ accessKeyId: 'ASIASHORTCUT' });
    await sleep(30);
    rmSync(certificate);
    writeFileSync(certificate, 'certificate');
    expect(follow()).toBeUndefined();
    rmSync(certificate);
    expect(follow()).toBeUndefined();
  });

  it('leads nowhere from another build, to an entry that holds other key material, or to an entry that expires within 15 minutes', () => {
    write({ helper: `${SHORTCUT_HELPER}-other` });
    expect(follow()).toBeUndefined();
    write({ key: 'other key material' });
    expect(follow()).toBeUndefined();
    write();
    expect(followShortcut(folder, ARGS, ENV, Date.parse('2029-12-31T23:50:00Z'))).toBeUndefined();
  });

  it('is not followed out of its folder, when damaged, when others may write it, or when it is a link', () => {
    // An entry as good as the folder's own, but for where it is (mutation sweep: a copy readable by others was refused for that alone).
    writeFileSync(join(work, 'outside.json'), readFileSync(join(folder, ENTRY)), { mode: 0o600 });
    write({ entry: '../outside.json' });
    expect(follow()).toBeUndefined();
    expect(readEntry(join(work, 'outside.json'), 'key material', NOW)).toHaveProperty('credentials');
    write();
    const path = shortcutPath(folder, ARGS, ENV);
    chmodSync(path, 0o620);
    expect(follow()).toBeUndefined();
    chmodSync(path, 0o600);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
    expect(follow()).toBeUndefined();
    const elsewhere = join(work, 'elsewhere.shortcut');
    writeFileSync(elsewhere, JSON.stringify(shortcut()), { mode: 0o600 });
    rmSync(path);
    symlinkSync(elsewhere, path);
    expect(follow()).toBeUndefined();
  });

  it('is not written into a folder others may write to', () => {
    chmodSync(folder, 0o777);
    expect(() => write()).toThrow(`the folder ${folder} is writable by others`);
    expect(readdirSync(folder)).toEqual([ENTRY]);
  });
});

describe('readsRecorded', () => {
  it('records the variables read, set or not, but never a secret variable', () => {
    const { env, reads } = readsRecorded({ AWS_REGION: 'eu-west-1', AWS_ROLESANYWHERE_PKCS8_PASSWORD: 'hunter2', OTHER: 'x' });
    expect(env.AWS_REGION).toBe('eu-west-1');
    expect(env.AWS_ENDPOINT_URL).toBeUndefined();
    expect('AWS_DEFAULT_REGION' in env).toBe(false);
    expect(env.AWS_ROLESANYWHERE_PKCS8_PASSWORD).toBe('hunter2');
    expect(reads()).toEqual({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: null, AWS_DEFAULT_REGION: null });
  });

  it('records nothing once the environment has been listed: what was read is then unknown', () => {
    const { env, reads } = readsRecorded({ AWS_REGION: 'eu-west-1' });
    expect(Object.keys(env)).toEqual(['AWS_REGION']);
    expect(reads()).toBeUndefined();
  });
});

describe('fileStamps', () => {
  const later = () => Date.now() + 60_000;

  it('stamps the files and passes over values that are no file (a pkcs11: URI, a path not there)', () => {
    expect(fileStamps([certificate, 'pkcs11:token=t;object=o', join(work, 'missing')], later())).toEqual([[certificate, stampOf(certificate)]]);
  });

  it('refuses a FIFO, a device or a folder: what they give may change without a trace', () => {
    const fifo = join(work, 'fifo');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(work, 'folder'));
    expect(fileStamps([certificate, fifo], later())).toBeUndefined();
    expect(fileStamps(['/dev/null'], later())).toBeUndefined();
    expect(fileStamps([join(work, 'folder')], later())).toBeUndefined();
  });

  it('refuses a file that changed within the last moments, which a rewrite in the same kernel tick would leave as it is', () => {
    const changed = Math.max(statSync(certificate).mtimeMs, statSync(certificate).ctimeMs);
    expect(fileStamps([certificate], changed + 10)).toBeUndefined();
    expect(fileStamps([certificate], changed + 60)).toEqual([[certificate, stampOf(certificate)]]);
  });

  it('waits two seconds where file times are kept in whole seconds', () => {
    expect(isSettled({ mtimeMs: 1_700_000_000_123, ctimeMs: 1_700_000_000_124 }, 1_700_000_000_200)).toBe(true);
    expect(isSettled({ mtimeMs: 1_700_000_000_000, ctimeMs: 1_700_000_000_000 }, 1_700_000_000_900)).toBe(false);
    expect(isSettled({ mtimeMs: 1_700_000_000_000, ctimeMs: 1_700_000_000_000 }, 1_700_000_002_000)).toBe(false);
    expect(isSettled({ mtimeMs: 1_700_000_000_000, ctimeMs: 1_700_000_000_000 }, 1_700_000_002_100)).toBe(true);
    // A file changed later than now (another host's clock): not settled.
    expect(isSettled({ mtimeMs: 1_700_000_000_123, ctimeMs: 1_700_000_000_123 }, 1_700_000_000_000)).toBe(false);
  });

  it('tells a file whose mode or owner changed, which the check may then refuse (a password file others may read)', () => {
    const before = stampOf(certificate);
    chmodSync(certificate, 0o644);
    const after = stampOf(certificate);
    expect(after).not.toBe(before);
    expect(after.split(':').slice(-3, -2)).toEqual([String(statSync(certificate).mode)]);
  });
});
