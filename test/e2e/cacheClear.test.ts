import { chmodSync, chownSync, lchownSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorLine, failureMessage, runCli } from '../support/cli.js';
import { Workspace } from '../support/scenario.js';

// The command's main case, with a cache a credential-process filled, is in credentialCache.test.ts.
const isRoot = process.getuid?.() === 0;
const workspace = new Workspace();
afterAll(() => workspace.cleanup());
let folders = 0;

/** A cache folder (ROLES_ANYWHERE_HELPER_CACHE_DIR) whose credentials/ folder `make` sets up; returns that folder. */
function cacheWith(make: (credentials: string) => void): { folder: string; credentials: string } {
  const folder = workspace.path(`cache-${folders++}`);
  mkdirSync(folder);
  const credentials = join(folder, 'credentials');
  make(credentials);
  return { folder, credentials };
}

const clear = (folder: string) => runCli(['cache', 'clear'], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder } });

describe('cache clear refuses a credentials folder the cache would not trust', () => {
  it('a link, leaving what it points at', async () => {
    const elsewhere = workspace.path('elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'precious.json'), '{}');
    const { folder, credentials } = cacheWith((path) => symlinkSync(elsewhere, path));
    expect(failureMessage(await clear(folder))).toBe(`refusing to clear the credential cache ${credentials}: it is a symbolic link`);
    expect(readdirSync(elsewhere)).toEqual(['precious.json']);
  });

  it('a folder others may write', async () => {
    const { folder, credentials } = cacheWith((path) => {
      mkdirSync(path);
      chmodSync(path, 0o770);
      writeFileSync(join(path, 'planted.json'), '{}');
    });
    expect(failureMessage(await clear(folder))).toBe(`refusing to clear the credential cache ${credentials}: it is writable by others`);
    expect(readdirSync(credentials)).toEqual(['planted.json']);
  });

  it.runIf(isRoot)("another user's folder", async () => {
    const { folder, credentials } = cacheWith((path) => {
      mkdirSync(path, { mode: 0o700 });
      chownSync(path, 65534, 65534);
    });
    expect(failureMessage(await clear(folder))).toBe(`refusing to clear the credential cache ${credentials}: it belongs to another user`);
  });

  it.runIf(isRoot)("one of ours in a cache folder another user made (first, in /tmp, say), which could swap it for a link", async () => {
    const { folder, credentials } = cacheWith((path) => {
      mkdirSync(path, { mode: 0o700 });
      writeFileSync(join(path, 'entry.json'), '{}');
    });
    chownSync(folder, 65534, 65534);
    chmodSync(folder, 0o777);
    expect(failureMessage(await clear(folder))).toBe(`refusing to clear the credential cache ${credentials}: it is inside ${folder}, which belongs to another user`);
    expect(readdirSync(credentials)).toEqual(['entry.json']);
  });

  it.runIf(isRoot)("one of ours reached through another user's symbolic link", async () => {
    const { folder, credentials } = cacheWith((path) => {
      mkdirSync(path, { mode: 0o700 });
      writeFileSync(join(path, 'entry.json'), '{}');
    });
    const link = workspace.path('planted-link');
    symlinkSync(folder, link);
    lchownSync(link, 65534, 65534);
    expect(failureMessage(await clear(link))).toBe(
      `refusing to clear the credential cache ${join(link, 'credentials')}: it is reached through ${link}, another user's symbolic link`,
    );
    expect(readdirSync(credentials)).toEqual(['entry.json']);
  });

  it('cache --help says which folder it clears, and when to (QA: it said neither)', async () => {
    const help = await runCli(['cache', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('The cache is the credentials/ folder of $ROLES_ANYWHERE_HELPER_CACHE_DIR, else of\n$XDG_CACHE_HOME/roles-anywhere-helper, else of ~/.cache/roles-anywhere-helper.');
    expect(help.stdout).toContain('Run cache clear when an\nemulator starts again');
  });

  it('none at all is nothing to clear', async () => {
    const { folder } = cacheWith(() => {});
    const result = await clear(folder);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/removed 0 cached sets of credentials from .*credentials\n$/);
  });
});

describe('cache clear with the cache off or not to be found (QA)', () => {
  it('ROLES_ANYWHERE_HELPER_CACHE_DIR=off: nothing to clear, which a test suite that turned the cache off may still ask', async () => {
    const result = await clear('off');
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(errorLine(result)).toBe('the credential cache is off (ROLES_ANYWHERE_HELPER_CACHE_DIR=off): nothing to clear');
  });

  it('a relative ROLES_ANYWHERE_HELPER_CACHE_DIR is still an error', async () => {
    expect(failureMessage(await clear('cache'))).toBe('there is no credential cache: ROLES_ANYWHERE_HELPER_CACHE_DIR "cache" is not an absolute path');
  });
});

describe('cache and its action', () => {
  it('an action other than clear, none, or more words are refused, with the words as log lines show them (QA: none was tested; control characters came out as JSON escapes)', async () => {
    const folder = cacheWith((credentials) => mkdirSync(credentials)).folder;
    for (const [words, got] of [[[], 'none'], [['drop'], '"drop"'], [['clear', 'all'], '"clear all"'], [['cl\x1b[31mear'], '"cl\\x1b[31mear"']] as const) {
      const result = await runCli(['cache', ...words], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder } });
      expect(failureMessage(result)).toBe(`cache needs one action: clear (got ${got}) (see aws_signing_helper cache --help)`);
    }
  });
});

describe('cache clear removes only what the cache writes (QA)', () => {
  it("leaves a README, folders, links and files of other names, and counts the entries it removed", async () => {
    const entries = ['0123456789abcdef.json', 'fedcba9876543210.json'];
    const target = workspace.path('link-target.json');
    writeFileSync(target, '{}');
    const { folder, credentials } = cacheWith((path) => {
      mkdirSync(path, { mode: 0o700 });
      for (const name of [...entries, '00000000000000aa.shortcut', '.0123456789abcdef.json.77.x1y2.tmp', '.00000000000000aa.shortcut.78.z3.tmp']) {
        writeFileSync(join(path, name), '{}', { mode: 0o600 });
        utimesSync(join(path, name), Date.now() / 1000 - 120, Date.now() / 1000 - 120);
      }
      mkdirSync(join(path, '0123456789abcdef.json.lock'), { mode: 0o700 });
      utimesSync(join(path, '0123456789abcdef.json.lock'), Date.now() / 1000 - 60, Date.now() / 1000 - 60);
      writeFileSync(join(path, 'README.txt'), 'mine');
      writeFileSync(join(path, 'notes.json'), '{}');
      mkdirSync(join(path, 'sub'));
      writeFileSync(join(path, 'sub', 'kept.json'), '{}');
      // At entry names, but nothing the cache makes: a folder, links.
      mkdirSync(join(path, 'aaaaaaaaaaaaaaaa.json'));
      symlinkSync(target, join(path, 'bbbbbbbbbbbbbbbb.json'));
      symlinkSync(workspace.dir, join(path, 'cccccccccccccccc.shortcut'));
    });
    const result = await clear(folder);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(errorLine(result)).toBe(`removed 2 cached sets of credentials from ${credentials}`);
    expect(readdirSync(credentials).sort()).toEqual(['README.txt', 'aaaaaaaaaaaaaaaa.json', 'bbbbbbbbbbbbbbbb.json', 'cccccccccccccccc.shortcut', 'notes.json', 'sub']);
    expect(readdirSync(join(credentials, 'sub'))).toEqual(['kept.json']);
    expect(readFileSync(target, 'utf8')).toBe('{}');
  });

  it('leaves a dead lock folder with something in it, which no lock of the cache holds', async () => {
    const { folder, credentials } = cacheWith((path) => {
      mkdirSync(path, { mode: 0o700 });
      mkdirSync(join(path, '0123456789abcdef.json.lock'), { mode: 0o700 });
      writeFileSync(join(path, '0123456789abcdef.json.lock', 'planted'), '');
      utimesSync(join(path, '0123456789abcdef.json.lock'), Date.now() / 1000 - 60, Date.now() / 1000 - 60);
    });
    const result = await clear(folder);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(errorLine(result)).toBe(`removed 0 cached sets of credentials from ${credentials}`);
    expect(readdirSync(join(credentials, '0123456789abcdef.json.lock'))).toEqual(['planted']);
  });
});

describe('cache clear where it may not remove', () => {
  it.runIf(isRoot)('an entry in a folder of its own it may not write: the entry named, exit 1, and the entry and the rest left (coverage: never run)', async () => {
    const entry = '0123456789abcdef.json';
    const { folder, credentials } = cacheWith((path) => {
      mkdirSync(path, { mode: 0o700 });
      writeFileSync(join(path, entry), '{}', { mode: 0o600 });
      writeFileSync(join(path, 'README.txt'), 'mine');
    });
    // nobody's own cache, so trusted, but read-only (chmod -w): it may be listed, not emptied.
    chmodSync(workspace.dir, 0o711);
    for (const path of [folder, credentials, join(credentials, entry)]) chownSync(path, 65534, 65534);
    chmodSync(credentials, 0o500);
    const result = await runCli(['cache', 'clear'], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder }, via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] });
    expect(failureMessage(result)).toBe(`unable to remove ${join(credentials, entry)}: permission denied`);
    expect(readdirSync(credentials).sort()).toEqual([entry, 'README.txt']);
    expect(readFileSync(join(credentials, entry), 'utf8')).toBe('{}');
  });
});

describe('cache clear and the runs in progress (QA)', () => {
  it("leaves a running credential-process's fresh lock and temporary copy, which it would then miss, and removes a dead run's", async () => {
    const old = (path: string, seconds: number) => utimesSync(path, Date.now() / 1000 - seconds, Date.now() / 1000 - seconds);
    const [A, B, C] = ['aaaaaaaaaaaaaaaa.json', 'bbbbbbbbbbbbbbbb.json', 'cccccccccccccccc.json'];
    const { folder, credentials } = cacheWith((path) => {
      mkdirSync(path, { mode: 0o700 });
      for (const name of [A, `${A.slice(0, -5)}.shortcut`, B, C]) writeFileSync(join(path, name), '{}', { mode: 0o600 });
      mkdirSync(join(path, `${B}.lock`), { mode: 0o700 });
      writeFileSync(join(path, `.${B}.123.abc.tmp`), '{}', { mode: 0o600 });
      mkdirSync(join(path, `${C}.lock`), { mode: 0o700 });
      old(join(path, `${C}.lock`), 60);
      writeFileSync(join(path, `.${C}.456.def.tmp`), '{}', { mode: 0o600 });
      old(join(path, `.${C}.456.def.tmp`), 120);
      // Dated an hour ahead: left before the clock was set back, by a run long dead.
      mkdirSync(join(path, `${A}.lock`), { mode: 0o700 });
      old(join(path, `${A}.lock`), -3600);
    });
    const result = await clear(folder);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/ removed 3 cached sets of credentials from /);
    expect(readdirSync(credentials).sort()).toEqual([`.${B}.123.abc.tmp`, `${B}.lock`]);
  });

  it('removes a dead lock a run killed as it took the lock over left moved aside, and leaves one being looked at', async () => {
    const [A, B] = ['aaaaaaaaaaaaaaaa.json', 'bbbbbbbbbbbbbbbb.json'];
    const { folder, credentials } = cacheWith((path) => {
      mkdirSync(path, { mode: 0o700 });
      mkdirSync(join(path, `.${A}.lock.123.abc.gone`), { mode: 0o700 });
      utimesSync(join(path, `.${A}.lock.123.abc.gone`), Date.now() / 1000 - 60, Date.now() / 1000 - 60);
      mkdirSync(join(path, `.${B}.lock.456.def.gone`), { mode: 0o700 });
    });
    const result = await clear(folder);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/ removed 0 cached sets of credentials from /);
    expect(readdirSync(credentials)).toEqual([`.${B}.lock.456.def.gone`]);
  });
});
