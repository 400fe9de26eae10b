import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { Scenario, type LeafFiles } from '../support/scenario.js';

// bin/aws_signing_helper.cjs keeps V8's compiled code of a successful credential-process run in a cache
// folder, and uses it on later runs only if it is this user's and nobody else can write it.
let scenario: Scenario;
let leaf: LeafFiles;
let dir: string;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('code-cache');
});
afterAll(async () => scenario.stop());
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'rah-code-cache-')), 'cache');
});

const credentialProcess = async (cacheDir = dir, env: Record<string, string> = {}) => {
  const result = await runCli(['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], {
    env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheDir, ...env },
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout).Version).toBe(1);
};
const cacheFiles = () => (existsSync(dir) ? readdirSync(dir) : []);
const theCache = () => {
  const files = cacheFiles();
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(new RegExp(`^cli-${process.version}-${process.arch}-\\d+-\\d+\\.v8cache$`));
  return join(dir, files[0]!);
};

describe('the code cache', () => {
  it('is written after a successful credential-process, private to the user, and then used as it is', async () => {
    await credentialProcess();
    const path = theCache();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const written = statSync(path);
    expect(written.mode & 0o777).toBe(0o600);
    expect(written.size).toBeGreaterThan(10_000);
    await credentialProcess();
    const after = statSync(path);
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });

  it('is kept per set of Node flags, which V8 checks a cache against', async () => {
    await credentialProcess();
    const plain = theCache();
    await credentialProcess(dir, { NODE_OPTIONS: '--max-old-space-size=300' });
    const files = cacheFiles().sort();
    expect(files).toHaveLength(2);
    expect(files).toContain(basename(plain));
    expect(files.find((name) => name !== basename(plain))).toMatch(/^cli-.*-\d+-\d+-[0-9a-f]+\.v8cache$/);
    const before = statSync(plain);
    await credentialProcess();
    expect(statSync(plain).ino).toBe(before.ino);
  });

  it('is not written by other commands or by a failing credential-process', async () => {
    expect((await runCli(['version'], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: dir } })).code).toBe(0);
    const failed = await runCli(['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--session-duration', '10'], {
      env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: dir },
    });
    expect(failed.code).toBe(1);
    expect(cacheFiles()).toEqual([]);
  });

  it('replaces a cache V8 rejects, and removes the caches of other builds written over a month ago', async () => {
    await credentialProcess();
    const path = theCache();
    writeFileSync(path, 'not V8 code', { mode: 0o600 });
    const old = join(dir, 'cli-v0.0.0-x64-1-1.v8cache');
    const recent = join(dir, 'cli-v0.0.0-x64-2-2.v8cache');
    writeFileSync(old, 'an old build', { mode: 0o600 });
    writeFileSync(recent, 'another install, still in use', { mode: 0o600 });
    const fiveWeeksAgo = new Date(Date.now() - 35 * 24 * 3600 * 1000);
    utimesSync(old, fiveWeeksAgo, fiveWeeksAgo);
    await credentialProcess();
    expect(cacheFiles().sort()).toEqual([basename(path), basename(recent)].sort());
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });

  it.each([
    ['writable by others', (path: string) => chmodSync(path, 0o666)],
    ["another user's", (path: string) => chownSync(path, 65534, 65534)],
  ])('ignores and replaces a cache that is %s', async (_, spoil) => {
    await credentialProcess();
    const path = theCache();
    spoil(path); // a good cache, but not one this user alone could have written
    const spoiled = statSync(path);
    await credentialProcess();
    const replaced = statSync(path);
    expect(replaced.ino).not.toBe(spoiled.ino);
    expect([replaced.uid, replaced.mode & 0o777]).toEqual([process.getuid!(), 0o600]);
  });

  it('is off with ROLES_ANYWHERE_HELPER_CACHE_DIR=off, and a folder that cannot be made does not matter', async () => {
    await credentialProcess('off');
    expect(existsSync(join(process.cwd(), 'off'))).toBe(false);
    const blocker = join(dir, '..', 'a-file');
    writeFileSync(blocker, '');
    await credentialProcess(join(blocker, 'cache'));
    rmSync(blocker);
  });
});
