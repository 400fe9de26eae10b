import { chownSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lockFile } from '../../../src/files/lockFile.js';

let folder: string;
let file: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'rah-lock-'));
  file = join(folder, 'entry.json');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Sets the modification time of the lock's name `seconds` from now (negative: in the past). */
function stamp(seconds: number): void {
  const when = new Date(Date.now() + seconds * 1000);
  utimesSync(`${file}.lock`, when, when);
}

const options = { waitMs: 300, staleMs: 30_000 };

describe('lockFile', () => {
  it('is exclusive: a second taker waits its bound, then gives up with ELOCKED; once released, it is free', async () => {
    const { release } = await lockFile(file, options);
    const started = Date.now();
    const waited: (number | undefined)[] = [];
    await expect(lockFile(file, { ...options, waitMs: 1_000, waiting: (otherUser) => waited.push(otherUser) })).rejects.toMatchObject({
      code: 'ELOCKED',
      message: `another process has held its lock, ${file}.lock, for over 1 s`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    // Said once, the first time it was found held, naming no other user (mutation testing: once each try passed).
    expect(waited).toEqual([undefined]);
    await release();
    expect(existsSync(`${file}.lock`)).toBe(false);
    await (await lockFile(file, options)).release();
  });

  it('rejects its release with the fs error when the lock cannot be removed (something put in it), which it left without a word before; the lock stays, to be taken over once stale', async () => {
    const { release } = await lockFile(file, options);
    const { atime, mtime } = statSync(`${file}.lock`);
    writeFileSync(join(`${file}.lock`, 'stray'), '');
    // Its time as this process stamped it: still its lock (see stillHeld), which rmdir(2) fails to remove.
    utimesSync(`${file}.lock`, atime, mtime);
    await expect(release()).rejects.toMatchObject({ code: 'ENOTEMPTY' });
    expect(existsSync(`${file}.lock`)).toBe(true);
  });

  it('waits its bound, not that and the step, when the wall clock is set back meanwhile (QA time: NTP putting right a clock 10 min ahead held the waiter 10 min more)', async () => {
    const { release } = await lockFile(file, { waitMs: 300, staleMs: 30 * 60_000 });
    const realNow = Date.now.bind(Date);
    let step = 0;
    const wallClock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - step);
    try {
      const waiting = lockFile(file, { waitMs: 300, staleMs: 30 * 60_000 });
      step = 10 * 60_000;
      await expect(waiting).rejects.toMatchObject({ code: 'ELOCKED' });
    } finally {
      wallClock.mockRestore();
      await release();
    }
  });

  it('stops waiting with ECANCELED once its caller no longer wants the lock (a stop), leaving no lock of its own', async () => {
    const { release } = await lockFile(file, { waitMs: 20_000, staleMs: 30_000 });
    let wanted = true;
    const waiting = lockFile(file, { waitMs: 20_000, staleMs: 30_000, wanted: () => wanted });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = Date.now();
    wanted = false;
    await expect(waiting).rejects.toMatchObject({ code: 'ECANCELED' });
    expect(Date.now() - stopped).toBeLessThan(200);
    await release();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it("is taken and released while process.nextTick's callbacks are held back, as Jest's fake timers hold them (QA: a library call with cache hung)", async () => {
    const held: [(...args: unknown[]) => void, unknown[]][] = [];
    const nextTick = process.nextTick;
    process.nextTick = ((callback: (...args: unknown[]) => void, ...args: unknown[]) => void held.push([callback, args])) as typeof process.nextTick;
    try {
      const taken = lockFile(file, options).then(async ({ release }) => release());
      expect(await Promise.race([taken.then(() => 'released'), new Promise((resolve) => setTimeout(resolve, 2_000, 'still waiting'))])).toBe('released');
      expect(existsSync(`${file}.lock`)).toBe(false);
    } finally {
      process.nextTick = nextTick;
      for (const [callback, args] of held) nextTick(callback, ...args);
    }
  });

  it("takes over a dead holder's lock once it is older than the stale bound", async () => {
    mkdirSync(`${file}.lock`);
    stamp(-60);
    await (await lockFile(file, options)).release();
  });

  it('takes over a lock stamped ahead of the clock by more than the stale bound (the clock was set back)', async () => {
    mkdirSync(`${file}.lock`);
    stamp(600);
    await (await lockFile(file, options)).release();
    // Within the bound, it may be a living holder's on a clock a little ahead: waited on.
    mkdirSync(`${file}.lock`);
    stamp(20);
    await expect(lockFile(file, options)).rejects.toMatchObject({ code: 'ELOCKED' });
  });

  it('removes a stale file or non-empty folder at the lock\'s name, which is no lock of a living holder', async () => {
    writeFileSync(`${file}.lock`, '');
    stamp(-60);
    await (await lockFile(file, options)).release();
    mkdirSync(`${file}.lock`);
    writeFileSync(join(`${file}.lock`, 'stray'), '');
    stamp(-60);
    await (await lockFile(file, options)).release();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('removes no more than the first level of a stale lock folder of its own: a link in it is removed, not followed', async () => {
    const precious = join(folder, 'precious');
    mkdirSync(join(precious, 'sub'), { recursive: true });
    writeFileSync(join(precious, 'sub', 'deep'), 'keep');
    mkdirSync(`${file}.lock`);
    symlinkSync(precious, join(`${file}.lock`, 'link'));
    stamp(-60);
    await (await lockFile(file, options)).release();
    expect(readdirSync(join(precious, 'sub'))).toEqual(['deep']);
  });

  it('says whether a lock is still its own: after a stall, yes if untouched; no once taken over or gone (QA)', async () => {
    // proper-lockfile's least stale bound is 2 s, restamped every 1 s: a synchronous stall keeps it from restamping.
    const lock = await lockFile(file, { waitMs: 300, staleMs: 2_000 });
    const stall = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    try {
      expect(lock.stillHeld()).toBe(true);
      stall(2_500);
      expect(lock.stillHeld()).toBe(true); // stale by now, but nobody took it
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // restamped meanwhile, by this process
      expect(lock.stillHeld()).toBe(true);
      // Another process took it over: the folder made anew, stamped with its own time.
      rmdirSync(`${file}.lock`);
      mkdirSync(`${file}.lock`);
      stamp(-1);
      expect(lock.stillHeld()).toBe(false);
      // Released, it is left to that process (review: proper-lockfile would have removed it).
      await lock.release();
      expect(existsSync(`${file}.lock`)).toBe(true);
      rmdirSync(`${file}.lock`);
      expect(lock.stillHeld()).toBe(false);
    } finally {
      await lock.release().catch(() => undefined);
    }
  });

  it('releases without an error a lock proper-lockfile found taken over (compromised) meanwhile, leaving the new holder\'s lock (mutation testing)', async () => {
    const lock = await lockFile(file, { waitMs: 300, staleMs: 2_000 });
    // Another process took it over: the folder made anew, stamped with its own time, which proper-lockfile's
    // restamp (every 1 s) finds, and lets the lock go as compromised; its release then rejects (ERELEASED).
    rmdirSync(`${file}.lock`);
    mkdirSync(`${file}.lock`);
    stamp(-1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(lock.stillHeld()).toBe(false);
    await expect(lock.release()).resolves.toBeUndefined();
    expect(existsSync(`${file}.lock`)).toBe(true);
  });

  it('makes its lock folder 0700 whatever the umask, so that no one else can put anything in it', async () => {
    const umask = process.umask(0);
    try {
      const { release } = await lockFile(file, options);
      expect(statSync(`${file}.lock`).mode & 0o777).toBe(0o700);
      await release();
    } finally {
      process.umask(umask);
    }
  });

  it('names what keeps a stale lock folder of its own from being removed (a folder with something in it), rather than ENOTEMPTY', async () => {
    mkdirSync(join(`${file}.lock`, 'sub'), { recursive: true });
    writeFileSync(join(`${file}.lock`, 'sub', 'f'), '');
    stamp(-60);
    await expect(lockFile(file, options)).rejects.toMatchObject({
      code: 'ENOTEMPTY',
      message: `${file}.lock holds ${join(`${file}.lock`, 'sub')}, which no lock leaves: remove ${file}.lock, if no update is running`,
    });
    expect(readdirSync(join(`${file}.lock`, 'sub'))).toEqual(['f']);
  });

  it.runIf(process.getuid?.() === 0)("never removes another user's lock, whatever it holds, and says whose it is", async () => {
    const precious = join(folder, 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'file'), 'keep');
    mkdirSync(join(`${file}.lock`, 'a'), { recursive: true });
    symlinkSync(precious, join(`${file}.lock`, 'a', 's'));
    lchownSync(join(`${file}.lock`, 'a', 's'), 65534, 65534);
    chownSync(join(`${file}.lock`, 'a'), 65534, 65534);
    chownSync(`${file}.lock`, 65534, 65534);
    stamp(3600); // dated ahead, which a lock of ours would be cleared for at once
    const waited: (number | undefined)[] = [];
    await expect(lockFile(file, { ...options, waiting: (otherUser) => waited.push(otherUser) })).rejects.toMatchObject({
      code: 'ELOCKED',
      message: `${file}.lock is another user's (uid 65534): remove it, if no update of theirs is running`,
    });
    expect(waited).toEqual([65534]); // said once, naming whose it is
    expect(readdirSync(precious)).toEqual(['file']);
    expect(existsSync(join(`${file}.lock`, 'a', 's'))).toBe(true);
  });

  it.runIf(process.getuid?.() === 0).each(['an empty folder', 'a folder with a file in it', 'a file'])(
    "never removes another user's stale lock either (%s), which proper-lockfile would take over",
    async (kind) => {
      if (kind === 'a file') writeFileSync(`${file}.lock`, '');
      else mkdirSync(`${file}.lock`);
      if (kind === 'a folder with a file in it') writeFileSync(join(`${file}.lock`, 'x'), '');
      if (kind === 'a folder with a file in it') chownSync(join(`${file}.lock`, 'x'), 65534, 65534);
      chownSync(`${file}.lock`, 65534, 65534);
      stamp(-60);
      const started = Date.now();
      await expect(lockFile(file, { ...options, waitMs: 5_000 })).rejects.toMatchObject({
        code: 'ELOCKED',
        message: `${file}.lock is another user's (uid 65534): remove it, if no update of theirs is running`,
      });
      expect(existsSync(`${file}.lock`)).toBe(true);
      expect(Date.now() - started).toBeLessThan(4_000); // stale: not waited on for the 5 s, which would not free it
    },
  );

  it.runIf(process.getuid?.() === 0)(
    "does not empty a stale lock folder of its own in another user's folder, who could swap it for a link to another folder as it is emptied (hostile-user QA: root's update deleted a file of /root)",
    async () => {
      // Another user's folder (root's update with their HOME): they may rename anything in it. Root's leftover
      // folder, moved to the lock's name by them, is stale and holds a file.
      chownSync(folder, 65534, 65534);
      const precious = mkdtempSync(join(tmpdir(), 'rah-precious-'));
      writeFileSync(join(precious, 'stray'), 'keep');
      mkdirSync(`${file}.lock`);
      writeFileSync(join(`${file}.lock`, 'stray'), '');
      stamp(-60);
      // They win the race: the lock, once moved aside and looked at, is swapped for their link to another folder
      // (renameat2's RENAME_EXCHANGE in a loop won it within 30 real runs of root's update).
      // The CommonJS module, whose changes syncBuiltinESMExports gives the ES module's named exports.
      const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
      const readdir = fs.readdirSync;
      const swapped: string[] = [];
      (fs as { readdirSync: unknown }).readdirSync = ((path: string, ...rest: unknown[]) => {
        // Its listing for removal (with file types), after the last look at it.
        if (String(path).endsWith('.gone') && (rest[0] as { withFileTypes?: boolean } | undefined)?.withFileTypes && swapped.length === 0) {
          swapped.push(String(path));
          renameSync(path, `${path}-theirs`);
          symlinkSync(precious, path);
        }
        return (readdir as (...args: unknown[]) => unknown)(path, ...rest);
      }) as typeof fs.readdirSync;
      syncBuiltinESMExports();
      let outcome: unknown;
      try {
        outcome = await lockFile(file, options).catch((error: unknown) => error);
      } finally {
        (fs as { readdirSync: unknown }).readdirSync = readdir;
        syncBuiltinESMExports();
      }
      const kept = readdirSync(precious);
      rmSync(precious, { recursive: true, force: true });
      expect(kept).toEqual(['stray']); // the other folder's file, which the removal went on to
      expect(outcome).toMatchObject({
        code: 'ENOTEMPTY',
        message: `${file}.lock holds files, which no lock leaves; they are not removed, as another user could swap the folder for a link meanwhile (${folder}, which belongs to another user): remove ${file}.lock yourself if no update is running`,
      });
      expect(swapped).toEqual([]); // never listed there
      expect(readdirSync(`${file}.lock`)).toEqual(['stray']);
    },
  );

  it('waits on a fresh file at the lock\'s name rather than remove it', async () => {
    writeFileSync(`${file}.lock`, '');
    await expect(lockFile(file, options)).rejects.toMatchObject({ code: 'ELOCKED' });
    expect(existsSync(`${file}.lock`)).toBe(true);
  });
});
