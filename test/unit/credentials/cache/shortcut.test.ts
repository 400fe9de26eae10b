import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeEntry } from '../../../../src/credentials/cache/cacheEntry.js';
import {
  fileStamp,
  flagFileStamps,
  followShortcut,
  readsRecorded,
  shortcutPath,
  writeShortcut,
  type Shortcut,
} from '../../../../src/credentials/cache/shortcut.js';
import { VERSION } from '../../../../src/version.js';

const credentials = {
  accessKeyId: 'ASIASHORTCUT',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: new Date('2030-01-01T00:00:00Z'),
  expirationText: '2030-01-01T00:00:00Z',
};
const NOW = Date.parse('2029-12-31T00:00:00Z');
const ENTRY = '0123456789abcdef.json';

let work: string;
let folder: string;
let certificate: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'rah-shortcut-'));
  folder = join(work, 'credentials');
  certificate = join(work, 'cert.pem');
  writeFileSync(certificate, 'certificate');
  writeEntry(join(folder, ENTRY), 'key material', credentials);
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const ARGS = ['--certificate', 'cert.pem', '--cache'];

/** A shortcut for ARGS to the entry. */
function shortcut(overrides: Partial<Shortcut> = {}): Shortcut {
  return {
    helper: VERSION,
    args: ARGS,
    env: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: null },
    files: [[certificate, fileStamp(certificate)!]],
    entry: ENTRY,
    key: 'key material',
    ...overrides,
  };
}

const follow = (env: Record<string, string> = { AWS_REGION: 'eu-west-1' }, args = ARGS) => followShortcut(folder, args, env, NOW);

describe('followShortcut', () => {
  it('leads to the entry while everything it recorded is as it was', () => {
    writeShortcut(folder, shortcut());
    expect(follow()).toMatchObject({ accessKeyId: 'ASIASHORTCUT', expirationText: '2030-01-01T00:00:00Z' });
    expect(statSync(shortcutPath(folder, ARGS)).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder).sort()).toEqual([ENTRY, shortcutPath(folder, ARGS).split('/').pop()].sort());
  });

  it('leads nowhere for other arguments', () => {
    writeShortcut(folder, shortcut());
    expect(follow(undefined, ['--certificate', 'cert.pem', '--cache', '--debug'])).toBeUndefined();
    expect(follow(undefined, ['--certificate', 'cert.pem'])).toBeUndefined();
  });

  it('leads nowhere once a recorded variable is set, changed or unset', () => {
    writeShortcut(folder, shortcut());
    expect(follow({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://localhost' })).toBeUndefined();
    expect(follow({ AWS_REGION: 'us-east-1' })).toBeUndefined();
    expect(follow({})).toBeUndefined();
    // Variables it did not record do not matter.
    expect(follow({ AWS_REGION: 'eu-west-1', SOMETHING_ELSE: 'x' })).toMatchObject({ accessKeyId: 'ASIASHORTCUT' });
  });

  it('leads nowhere once a recorded file is rewritten (even to the same size and modification time), replaced or removed', () => {
    // Whole seconds, which utimes restores exactly: only the change time tells the rewrite.
    utimesSync(certificate, 1_700_000_000, 1_700_000_000);
    writeShortcut(folder, shortcut());
    writeFileSync(certificate, 'CERTIFICATE');
    utimesSync(certificate, 1_700_000_000, 1_700_000_000);
    expect(statSync(certificate).mtimeMs).toBe(1_700_000_000_000);
    expect(follow()).toBeUndefined();
    writeShortcut(folder, shortcut());
    expect(follow()).toMatchObject({ accessKeyId: 'ASIASHORTCUT' });
    rmSync(certificate);
    expect(follow()).toBeUndefined();
  });

  it('leads nowhere from another build, to an entry that holds other key material, or to an entry that expires within 15 minutes', () => {
    writeShortcut(folder, shortcut({ helper: `${VERSION}-other` }));
    expect(follow()).toBeUndefined();
    writeShortcut(folder, shortcut({ key: 'other key material' }));
    expect(follow()).toBeUndefined();
    writeShortcut(folder, shortcut());
    expect(followShortcut(folder, ARGS, { AWS_REGION: 'eu-west-1' }, Date.parse('2029-12-31T23:50:00Z'))).toBeUndefined();
  });

  it('is not followed out of its folder, when damaged, when others may write it, or when it is a link', () => {
    writeFileSync(join(work, 'outside.json'), readFileSync(join(folder, ENTRY)));
    writeShortcut(folder, shortcut({ entry: '../outside.json' }));
    expect(follow()).toBeUndefined();
    writeShortcut(folder, shortcut());
    const path = shortcutPath(folder, ARGS);
    chmodSync(path, 0o620);
    expect(follow()).toBeUndefined();
    chmodSync(path, 0o600);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
    expect(follow()).toBeUndefined();
    const elsewhere = join(work, 'elsewhere.shortcut');
    writeFileSync(elsewhere, JSON.stringify(shortcut()), { mode: 0o600 });
    rmSync(path);
    execFileSync('ln', ['-s', elsewhere, path]);
    expect(follow()).toBeUndefined();
  });

  it('is not written into a folder others may write to', () => {
    chmodSync(folder, 0o777);
    expect(() => writeShortcut(folder, shortcut())).toThrow(`the folder ${folder} is writable by others`);
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

describe('flagFileStamps', () => {
  it('stamps the values that name regular files and passes over the rest', () => {
    mkdirSync(join(work, 'folder'));
    expect(flagFileStamps([certificate, join(work, 'folder'), 'arn:aws:iam::123456789012:role/r', join(work, 'missing')])).toEqual([
      [certificate, fileStamp(certificate)],
    ]);
  });

  it('refuses a value that names a FIFO or a device: what it gives may change without a trace', () => {
    const fifo = join(work, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(flagFileStamps([certificate, fifo])).toBeUndefined();
    expect(flagFileStamps(['/dev/null'])).toBeUndefined();
  });
});
