import * as fs from 'node:fs';
import { chmodSync, chownSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import { authTokenFileAt, temporaryAuthTokenFile } from '../../../../src/outputs/ecs/authTokenFile.js';

// Real fs; a test may make one write fail, as a full disk (or a kill) would.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    writeSync: vi.fn(real.writeSync),
    rmSync: vi.fn(real.rmSync),
    linkSync: vi.fn(real.linkSync),
    statSync: vi.fn(real.statSync),
    chmodSync: vi.fn(real.chmodSync),
    fstatSync: vi.fn(real.fstatSync),
  };
});

/** Another user than this one (and than root): only root can give a file away, so these tests run as root. */
const OTHER_UID = 54321;
const asRoot = process.getuid?.() === 0;

let dir: string;
const warnings: string[] = [];
const context = { env: {}, logger: { debug: () => {}, info: () => {}, warn: (message: string) => warnings.push(message), error: () => {} } };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rah-token-'));
  warnings.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('authTokenFileAt (--auth-token-file)', () => {
  it('creates a missing file: 0600, 256 random bits in base64url, no newline', () => {
    const path = join(dir, 'token');
    const file = authTokenFileAt(path, context);
    const token = readFileSync(path, 'utf8');
    expect(file.path).toBe(path);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(file.accepts(token)).toBe(true);
    expect(file.accepts(`${token}\n`)).toBe(false);
    file.close();
    expect(existsSync(path)).toBe(true);
    expect(authTokenFileAt(join(dir, 'other'), context).accepts(token)).toBe(false);
  });

  it('names no path that is a key itself, and creates no file of that name (QA: randomized keys)', () => {
    const der = 'MHcCAQEEIMYIzB5pwqiYsj2Vzx48PPDG3jclToY5FsL+ey7ifOlLoAoGCCqGSM49AwEHoUQDQgAECanary1234==';
    for (const given of ['-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGCanary1234\n-----END PRIVATE KEY-----\n', der]) {
      expect(() => authTokenFileAt(given, context)).toThrow(
        new HelperError('unable to use auth token file: what was given looks like PEM or base64 content, not a path (not shown)'),
      );
    }
    expect(readdirSync(process.cwd())).not.toContain(der);
  });

  it('reads an existing file whose path looks like base64 content, as the file it names (mutation sweep: refusing it passed)', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const path = 'A'.repeat(64);
      writeFileSync(path, 'named-token', { mode: 0o600 });
      expect(authTokenFileAt(path, context).accepts('named-token')).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('reads an existing file as it is, and never writes it', () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'mine', { mode: 0o640 });
    const file = authTokenFileAt(path, context);
    expect(file.accepts('mine')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('mine');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('never creates the file through a link: a dangling one is refused, saying so', () => {
    const path = join(dir, 'link');
    symlinkSync(join(dir, 'nowhere'), path);
    expect(() => authTokenFileAt(path, context)).toThrow(
      `unable to use auth token file ${path}: it is a symbolic link to ${join(dir, 'nowhere')} that leads to no file; a token file is never created through a link`,
    );
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('leaves no file when writing the token fails, so that the next start makes one rather than refuse an empty file', () => {
    const path = join(dir, 'token');
    vi.mocked(fs.writeSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    expect(() => authTokenFileAt(path, context)).toThrow(`unable to create auth token file ${path}: no space left on device`);
    expect(readdirSync(dir)).toEqual([]);
    const file = authTokenFileAt(path, context);
    expect(readFileSync(path, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(file.accepts(readFileSync(path, 'utf8'))).toBe(true);
  });

  it('says a relative path leads nowhere once the working folder was removed, not "internal error: … uv_cwd" (QA: a unit\'s folder deleted)', () => {
    const cwd = process.cwd();
    const gone = join(dir, 'gone');
    mkdirSync(gone);
    process.chdir(gone);
    rmSync(gone, { recursive: true });
    try {
      expect(() => authTokenFileAt('token', context)).toThrow(
        new HelperError('unable to use auth token file token: no such file or directory (a relative path, and the working folder has been removed)'),
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it('says why a path that leads nowhere cannot be used: a file on the way, links in a loop (QA: "internal error: ENOTDIR: not a directory, lstat")', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(() => authTokenFileAt(join(file, 'token'), context)).toThrow(
      new HelperError(`unable to use auth token file ${join(file, 'token')}: ${file} is a regular file, not a folder`),
    );
    const loop = join(dir, 'loop');
    symlinkSync(loop, loop);
    expect(() => authTokenFileAt(join(loop, 'token'), context)).toThrow(/^unable to use auth token file \S+\/loop\/token: its symbolic links make a loop \(or pass through more than 40\)$/);
  });

  it('refuses a file that others may write, whose token they could have chosen', () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'known-token');
    chmodSync(path, 0o620);
    expect(() => authTokenFileAt(path, context)).toThrow(
      `unable to use auth token file ${path}: it is writable by others, so others may know its token; it must be this user's (or root's) and writable by no one else`,
    );
  });

  it.runIf(asRoot)('refuses another user\'s file, and a link another user planted, but follows a link of this user\'s (a mounted Kubernetes Secret is one)', () => {
    const theirs = join(dir, 'theirs');
    writeFileSync(theirs, 'known-token', { mode: 0o600 });
    chownSync(theirs, OTHER_UID, OTHER_UID);
    expect(() => authTokenFileAt(theirs, context)).toThrow(`unable to use auth token file ${theirs}: it belongs to another user, so others may know its token`);

    const ours = join(dir, 'ours');
    writeFileSync(ours, 'our-token', { mode: 0o600 });
    const planted = join(dir, 'planted');
    symlinkSync(ours, planted);
    lchownSync(planted, OTHER_UID, OTHER_UID);
    expect(() => authTokenFileAt(planted, context)).toThrow(`unable to use auth token file ${planted}: it is another user's symbolic link, so others may know its token`);

    const mounted = join(dir, 'mounted');
    symlinkSync(ours, mounted);
    expect(authTokenFileAt(mounted, context).accepts('our-token')).toBe(true);
    expect(warnings).toEqual([]);
  });

  it.runIf(asRoot)("refuses a path through another user's link to a folder, whether the file is there or would be created, and a change of the way later", () => {
    const folder = join(dir, 'ours');
    mkdirSync(folder);
    writeFileSync(join(folder, 'token'), 'our-token', { mode: 0o600 });
    const planted = join(dir, 'planted');
    symlinkSync(folder, planted);
    lchownSync(planted, OTHER_UID, OTHER_UID);
    for (const name of ['token', 'new-token']) {
      const path = join(planted, name);
      expect(() => authTokenFileAt(path, context)).toThrow(
        `unable to use auth token file ${path}: it is reached through ${planted}, another user's symbolic link, so others may know its token; the symbolic links at it and on the way to it must be this user's or root's`,
      );
    }
    expect(existsSync(join(folder, 'new-token'))).toBe(false);

    // Taken through a link of this user's; then its folder is swapped for another user's link to a file of ours whose token they know.
    let now = 0;
    const way = join(dir, 'way');
    symlinkSync(folder, way);
    const file = authTokenFileAt(join(way, 'token'), context, () => now);
    expect(file.accepts('our-token')).toBe(true);
    const known = join(dir, 'known');
    mkdirSync(known);
    writeFileSync(join(known, 'token'), 'known-token', { mode: 0o600 });
    rmSync(way);
    symlinkSync(known, way);
    lchownSync(way, OTHER_UID, OTHER_UID);
    now += 1000;
    expect(file.accepts('known-token')).toBe(false);
    expect(warnings).toEqual([
      `unable to read auth token file ${join(way, 'token')} again, still expecting the token read before: it is reached through ${way}, another user's symbolic link, so others may know its token; the symbolic links at it and on the way to it must be this user's or root's`,
    ]);
  });

  it('says of a file too large, or not a regular file, only that (nothing of who may know its token)', () => {
    for (const length of [8193, 8194, 8195, 8200, 100_000]) {
      const path = join(dir, `long-${length}`);
      writeFileSync(path, 'x'.repeat(length), { mode: 0o600 });
      expect(() => authTokenFileAt(path, context)).toThrow(new RegExp(`^unable to use (the token in )?auth token file ${path}: it is longer than 8192 characters$`));
    }
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const path of [dir, '/dev/null', fifo]) {
      expect(() => authTokenFileAt(path, context)).toThrow(new RegExp(`^unable to use auth token file ${path}: it is not a regular file$`));
    }
  });

  it('warns when every user can read the token', () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'shown-token');
    chmodSync(path, 0o644);
    expect(authTokenFileAt(path, context).accepts('shown-token')).toBe(true);
    expect(warnings).toEqual([`auth token file ${path} is readable by every user (mode 0644), who can then get the credentials: chmod o-r it (on a filesystem that keeps no file modes, FAT or exFAT, keep it on another)`]);
  });

  it('ignores a replacement that others may write, saying so once', () => {
    let now = 0;
    const path = join(dir, 'token');
    writeFileSync(path, 'first', { mode: 0o600 });
    const file = authTokenFileAt(path, context, () => now);
    writeFileSync(path, 'chosen-by-others');
    chmodSync(path, 0o666);
    for (const later of [1000, 2000, 3000]) {
      now = later;
      expect(file.accepts('chosen-by-others')).toBe(false);
      expect(file.accepts('first')).toBe(true);
    }
    expect(warnings).toEqual([
      `unable to read auth token file ${path} again, still expecting the token read before: it is writable by others, so others may know its token; ` +
        "it must be this user's (or root's) and writable by no one else",
    ]);
    // Its mode made right, as the message asks, and nothing else changed: its token is taken.
    chmodSync(path, 0o600);
    now = 4000;
    expect(file.accepts('chosen-by-others')).toBe(true);
    expect(file.accepts('first')).toBe(false);
  });

  it('follows a replaced file: the new token taken at once, the old one refused once it changed, a replacement it cannot use ignored (once, saying so)', () => {
    let now = 0;
    const path = join(dir, 'token');
    writeFileSync(path, 'first', { mode: 0o600 });
    const file = authTokenFileAt(path, context, () => now);
    writeFileSync(path, 'second-token');
    expect(file.accepts('first')).toBe(true); // a matching token within 0.1 s of the last look
    now = 100;
    expect(file.accepts('first')).toBe(false);
    expect(file.accepts('second-token')).toBe(true);
    writeFileSync(path, 'third-token-x');
    expect(file.accepts('third-token-x')).toBe(true); // a token that does not match makes it look at once
    expect(file.accepts('second-token')).toBe(false);
    writeFileSync(path, 'fourth\n');
    for (const later of [2000, 3000, 4000]) {
      now = later;
      expect(file.accepts('fourth\n')).toBe(false);
      expect(file.accepts('third-token-x')).toBe(true);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^auth token file ${path} changed, but it ends with a newline, .*: still expecting the token read before$`));
    rmSync(path);
    now = 5000;
    expect(file.accepts('x')).toBe(false);
    now = 6000;
    expect(file.accepts('y')).toBe(false);
    expect(warnings.slice(1)).toEqual([`unable to read auth token file ${path} again, still expecting the token read before: no such file or directory`]);
    expect(file.accepts('third-token-x')).toBe(true);
  });

  it("follows a Kubernetes Secret, whose ..data link is swapped to a new folder: the old token is refused, though of the new one's length", () => {
    let now = 0;
    const secret = (name: string, token: string) => {
      fs.mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'token'), token, { mode: 0o600 });
      symlinkSync(name, join(dir, '..data_tmp'));
      fs.renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    };
    secret('..2026_12_01', 'old-token');
    symlinkSync('..data/token', join(dir, 'token'));
    const file = authTokenFileAt(join(dir, 'token'), context, () => now);
    expect(file.accepts('old-token')).toBe(true);
    secret('..2026_12_02', 'new-token');
    now = 100;
    expect(file.accepts('old-token')).toBe(false);
    expect(file.accepts('new-token')).toBe(true);
    expect(warnings).toEqual([]);
  });
  it('refuses a rotated-out token once the file changed though the wall clock was set back meanwhile (QA time: accepted until the clock caught up, an hour)', () => {
    let now = 3_600_000;
    const path = join(dir, 'token');
    writeFileSync(path, 'old-token', { mode: 0o600 });
    const file = authTokenFileAt(path, context, () => now);
    now += 100;
    expect(file.accepts('old-token')).toBe(true);
    now = 0; // NTP puts right a clock an hour ahead
    writeFileSync(path, 'new-token');
    expect(file.accepts('old-token')).toBe(false);
    expect(file.accepts('new-token')).toBe(true);
  });
});

describe('temporaryAuthTokenFile (--ecs alone)', () => {
  it('a new token in a new 0700 folder, both removed at close', () => {
    const file = temporaryAuthTokenFile(context);
    const token = readFileSync(file.path, 'utf8');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(dirname(file.path)).mode & 0o777).toBe(0o700);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(file.accepts(token)).toBe(true);
    file.close();
    expect(existsSync(dirname(file.path))).toBe(false);
    const another = temporaryAuthTokenFile(context);
    expect(another.path).not.toBe(file.path);
    expect(another.accepts(token)).toBe(false);
    another.close();
  });

  it('removes both at close with no descriptor left to open (ulimit -n), without throwing (QA: serve --ecs under ulimit -n 19 left them, and said EMFILE of scandir, not why it failed)', () => {
    const file = temporaryAuthTokenFile(context);
    // rmSync's walk opens the folder: with every descriptor in use, it fails as it did there.
    vi.mocked(fs.rmSync).mockImplementation(() => {
      throw Object.assign(new Error(`EMFILE: too many open files, scandir '${dirname(file.path)}'`), { code: 'EMFILE', syscall: 'scandir' });
    });
    try {
      expect(() => file.close()).not.toThrow();
    } finally {
      vi.mocked(fs.rmSync).mockReset();
    }
    expect(existsSync(dirname(file.path))).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('reports why the token could not be written, and removes its folder, with no descriptor left to open', () => {
    const folders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('roles-anywhere-helper-'));
    const before = folders();
    vi.mocked(fs.writeSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    vi.mocked(fs.rmSync).mockImplementation((path) => {
      throw Object.assign(new Error(`EMFILE: too many open files, scandir '${String(path)}'`), { code: 'EMFILE', syscall: 'scandir' });
    });
    try {
      expect(() => temporaryAuthTokenFile(context)).toThrow(/^unable to create auth token file \S+\/token: no space left on device$/);
    } finally {
      vi.mocked(fs.rmSync).mockReset();
    }
    expect(folders()).toEqual(before);
  });

  it('says which temporary folder it cannot make its folder in, and why, in one line', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const saved = process.env.TMPDIR;
    const cases = [
      [join(dir, 'missing'), 'no such file or directory'],
      [file, `${file} is a regular file, not a folder`],
      ['/proc', 'it takes no new folders'],
    ];
    try {
      for (const [folder, reason] of cases) {
        process.env.TMPDIR = folder;
        expect(() => temporaryAuthTokenFile({ ...context, env: { TMPDIR: folder } })).toThrow(
          new HelperError(
            `unable to create a folder for the auth token in ${folder} (the temporary folder, from TMPDIR): ${reason}; ` +
              'point TMPDIR at a folder this user can write, or give --auth-token-file',
          ),
        );
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it.runIf(asRoot)(
    "passes over a temporary folder another user could swap its folder in (theirs, or everyone's without the sticky bit) for /dev/shm, making nothing there (hostile-user QA: an attacker's TMPDIR, where the token's folder could be replaced and its removal at stop led elsewhere)",
    () => {
      const theirs = join(dir, 'theirs');
      mkdirSync(theirs, { mode: 0o777 });
      chownSync(theirs, OTHER_UID, OTHER_UID);
      chmodSync(theirs, 0o1777);
      const open = join(dir, 'open');
      mkdirSync(open);
      chmodSync(open, 0o777);
      const saved = process.env.TMPDIR;
      try {
        for (const folder of [theirs, open]) {
          process.env.TMPDIR = folder;
          const file = temporaryAuthTokenFile({ ...context, env: { TMPDIR: folder } });
          try {
            expect(dirname(dirname(file.path))).toBe('/dev/shm');
            expect(readdirSync(folder)).toEqual([]);
          } finally {
            file.close();
          }
        }
        // /tmp itself, everyone's with the sticky bit, is used.
        process.env.TMPDIR = '/tmp';
        temporaryAuthTokenFile({ ...context, env: { TMPDIR: '/tmp' } }).close();
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
    },
  );
});

describe('following the token file (mutation sweep of followedTokenFile.ts)', () => {
  const infos: string[] = [];
  const logged = { ...context, logger: { ...context.logger, info: (message: string) => infos.push(message) } };
  beforeEach(() => {
    infos.length = 0;
  });
  /** A token file holding 'first', followed on a clock the test sets. */
  const followed = () => {
    const clock = { now: 0 };
    const path = join(dir, 'token');
    writeFileSync(path, 'first', { mode: 0o600 });
    return { clock, path, file: authTokenFileAt(path, context, () => clock.now) };
  };

  it('takes a matching token without a look at the file for 0.1 s after the last look, not only after the first', () => {
    const { clock, path, file } = followed();
    clock.now = 200;
    expect(file.accepts('first')).toBe(true); // looked at, unchanged
    writeFileSync(path, 'second');
    clock.now = 250;
    expect(file.accepts('first')).toBe(true); // 50 ms after that look: not looked at again
    clock.now = 300;
    expect(file.accepts('first')).toBe(false);
  });

  it('says again of a replacement it cannot use when it changes again, though for the same reason', () => {
    const { clock, path, file } = followed();
    writeFileSync(path, 'chosen-1');
    chmodSync(path, 0o666);
    clock.now = 1000;
    expect(file.accepts('chosen-1')).toBe(false);
    writeFileSync(path, 'chosen-22');
    clock.now = 2000;
    expect(file.accepts('chosen-22')).toBe(false);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toBe(warnings[0]);
  });

  it('says that it took a new token, and warns of one every user can read', () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'first', { mode: 0o600 });
    const file = authTokenFileAt(path, logged, () => 0);
    writeFileSync(path, 'second');
    chmodSync(path, 0o604);
    expect(file.accepts('second')).toBe(true);
    expect(infos).toEqual([`auth token file ${path} changed: expecting its new token`]);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^auth token file ${path} is readable by every user \\(mode 0604\\)`))]);
  });

  it('does not warn of a token its group alone can read', () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'group-token');
    chmodSync(path, 0o640);
    expect(authTokenFileAt(path, context).accepts('group-token')).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('follows a file replaced by another of the same size, times and mode', () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'token-aaaa', { mode: 0o600 });
    fs.utimesSync(path, 1000, 1000);
    const file = authTokenFileAt(path, context, () => 0);
    const next = join(dir, 'next');
    writeFileSync(next, 'token-bbbb', { mode: 0o600 });
    fs.utimesSync(next, 1000, 1000);
    fs.renameSync(next, path);
    expect(file.accepts('token-bbbb')).toBe(true);
    expect(file.accepts('token-aaaa')).toBe(false);
  });

  it.runIf(asRoot)("takes root's file when run as another user (a mounted Kubernetes Secret is root's)", () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'roots-token', { mode: 0o600 });
    vi.spyOn(process, 'getuid').mockReturnValue(OTHER_UID);
    try {
      expect(authTokenFileAt(path, context).accepts('roots-token')).toBe(true);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe('temporaryAuthTokenFile at close (mutation sweep of followedTokenFile.ts)', () => {
  it('removes its folder though something else was put in it', () => {
    const file = temporaryAuthTokenFile(context);
    writeFileSync(join(dirname(file.path), 'other'), 'x');
    file.close();
    expect(existsSync(dirname(file.path))).toBe(false);
    expect(warnings).toEqual([]);
  });
});

describe('creating the token file against the odds (mutation sweep of authTokenFile.ts)', () => {
  const failure = (code: string) => Object.assign(new Error(`${code}: operation failed`), { code });
  afterEach(() => {
    for (const mocked of [fs.writeSync, fs.linkSync, fs.statSync, fs.chmodSync, fs.fstatSync]) vi.mocked(mocked).mockRestore?.();
  });

  it('removes the copies of a token that a start killed before linking it left beside the file', () => {
    const stale = join(dir, '.token.12345.abcdefghijkl.tmp');
    writeFileSync(stale, 'killed-start-token', { mode: 0o600 });
    const old = Date.now() / 1000 - 120;
    fs.utimesSync(stale, old, old);
    authTokenFileAt(join(dir, 'token'), context);
    expect(readdirSync(dir)).toEqual(['token']);
  });

  it('reads the file another start made meanwhile, rather than fail (two sidecars sharing an emptyDir)', () => {
    const path = join(dir, 'token');
    const real = vi.mocked(fs.writeSync).getMockImplementation()!;
    vi.mocked(fs.writeSync).mockImplementationOnce((...args: Parameters<typeof fs.writeSync>) => {
      writeFileSync(path, 'their-token', { mode: 0o600 });
      return (real as (...a: unknown[]) => number)(...args);
    });
    const infos: string[] = [];
    const file = authTokenFileAt(path, { ...context, logger: { ...context.logger, info: (message: string) => infos.push(message) } });
    expect(file.accepts('their-token')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('their-token');
    // Their token from the start, not this start's own unwritten one, followed to theirs at the first request (mutation review).
    expect(infos).toEqual([]);
  });

  it('without hard links, writes the file in place, and reads the one another start made meanwhile', () => {
    const path = join(dir, 'token');
    vi.mocked(fs.linkSync).mockImplementationOnce(() => {
      throw failure('ENOTSUP');
    });
    const made = authTokenFileAt(path, context);
    expect(readFileSync(path, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(made.accepts(readFileSync(path, 'utf8'))).toBe(true);
    const other = join(dir, 'other');
    vi.mocked(fs.linkSync).mockImplementationOnce(() => {
      writeFileSync(other, 'their-token', { mode: 0o600 });
      throw failure('EPERM');
    });
    const infos: string[] = [];
    const read = authTokenFileAt(other, { ...context, logger: { ...context.logger, info: (message: string) => infos.push(message) } });
    expect(read.accepts('their-token')).toBe(true);
    expect(readFileSync(other, 'utf8')).toBe('their-token');
    expect(infos).toEqual([]);
  });

  it('refuses a temporary folder its group may enter where modes cannot be set, and removes it', () => {
    const made: string[] = [];
    vi.mocked(fs.statSync).mockImplementation(((path: string) => {
      const stat = fs.lstatSync(path); // the folder's own: it is no link
      if (!/roles-anywhere-helper-[^/]*$/.test(String(path))) return stat;
      made.push(String(path));
      return Object.assign(Object.create(Object.getPrototypeOf(stat)), stat, { mode: 0o40750 });
    }) as typeof fs.statSync);
    vi.mocked(fs.chmodSync).mockImplementation(() => {
      throw failure('EPERM');
    });
    expect(() => temporaryAuthTokenFile(context)).toThrow(
      'its filesystem keeps no file modes: a folder made 0700 there has mode 0750, which lets other users read the token',
    );
    expect(made.length).toBeGreaterThan(0);
    vi.mocked(fs.statSync).mockRestore();
    expect(existsSync(made[0]!)).toBe(false);
  });

  // Mutation sweep (mutout): the token written where modes are not kept (ownerOnly dropped) passed every test.
  it('writes no token on a filesystem that keeps no file modes (FAT, exFAT: a file made 0600 there is 0755), and says to give another path', () => {
    const path = join(dir, 'token');
    const real = vi.mocked(fs.fstatSync).getMockImplementation()!;
    vi.mocked(fs.fstatSync).mockImplementation(((fd: number) => {
      const stat = (real as (fd: number) => fs.Stats)(fd);
      return stat.isFile() ? Object.assign(Object.create(Object.getPrototypeOf(stat)), stat, { mode: 0o100755 }) : stat;
    }) as typeof fs.fstatSync);
    expect(() => authTokenFileAt(path, context)).toThrow(
      `unable to create auth token file ${path}: its filesystem keeps no file modes: a file made 0600 there has mode 0755, which other users may read; give a path on another filesystem`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
