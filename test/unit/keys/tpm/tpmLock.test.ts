import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger, type Logger } from '../../../../src/log/logger.js';
import type { Tcti } from '../../../../src/keys/tpm/tcti.js';
import { withTpmLock } from '../../../../src/keys/tpm/tpmLock.js';
import { tpmLockContent } from '../../../../src/keys/tpm/tpmLockHolder.js';

let runtime: string;
let env: Record<string, string>;
const tcti: Tcti = { config: 'swtpm:host=127.0.0.1,port=2321', resourceManaged: false };
const folder = () => join(runtime, 'roles-anywhere-helper-tpm');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  runtime = mkdtempSync(join(tmpdir(), 'rah-tpm-lock-'));
  env = { XDG_RUNTIME_DIR: runtime };
});

afterEach(() => rmSync(runtime, { recursive: true, force: true }));

/** The name of the lock withTpmLock holds for `tcti`, seen from inside it. */
async function lockName(): Promise<string> {
  return withTpmLock(tcti, env, silentLogger, async () => readdirSync(folder()).find((name) => name.endsWith('.lock'))!);
}

/** A lock holding `content` is waited on while fresh, and taken over once unstamped for over 10 s. */
async function expectTakenOverOnlyOnceStale(name: string, content: string): Promise<void> {
  writeFileSync(join(folder(), name), content);
  await expect(withTpmLock(tcti, env, silentLogger, async () => 'not yet', 200)).rejects.toThrow('another run of the helper has held it');
  const longAgo = new Date(Date.now() - 11_000);
  utimesSync(join(folder(), name), longAgo, longAgo);
  await expect(withTpmLock(tcti, env, silentLogger, async () => 'taken over', 1_000)).resolves.toBe('taken over');
}

describe('withTpmLock', () => {
  it('runs one operation on a TPM at a time, in a private folder of $XDG_RUNTIME_DIR', async () => {
    const steps: string[] = [];
    const operation = (name: string) => async () => {
      steps.push(`${name} starts`);
      await sleep(50);
      steps.push(`${name} ends`);
      return name;
    };
    const results = await Promise.all([withTpmLock(tcti, env, silentLogger, operation('a')), withTpmLock(tcti, env, silentLogger, operation('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(steps).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
    expect(statSync(folder()).mode & 0o777).toBe(0o700);
    expect(readdirSync(folder())).toEqual([]);
  });

  it('stops waiting for the lock once its caller no longer wants it (serve, update stopping: up to 60 s, QA)', { timeout: 10_000 }, async () => {
    let release!: () => void;
    const holding = withTpmLock(tcti, env, silentLogger, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(20);
    let wanted = true;
    const waiting = withTpmLock(tcti, env, silentLogger, async () => 'ran', 60_000, () => wanted);
    await sleep(50);
    wanted = false;
    await expect(waiting).rejects.toThrow('unable to use the TPM: stopping, while waiting for another run of the helper to finish with it');
    release();
    await holding;
  });

  it('does not keep one TPM\'s runs waiting for another TPM\'s', async () => {
    const other: Tcti = { config: 'swtpm:host=127.0.0.1,port=2421', resourceManaged: false };
    let release!: () => void;
    const holding = withTpmLock(tcti, env, silentLogger, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(20);
    await expect(withTpmLock(other, env, silentLogger, async () => 'other TPM', 200)).resolves.toBe('other TPM');
    release();
    await holding;
  });

  it('releases the lock when the operation fails', async () => {
    await expect(withTpmLock(tcti, env, silentLogger, () => Promise.reject(new Error('tpm2_load failed')))).rejects.toThrow('tpm2_load failed');
    await expect(withTpmLock(tcti, env, silentLogger, async () => 'next', 200)).resolves.toBe('next');
  });

  it('waits a bounded time for a run that keeps the TPM, then says so', async () => {
    let release!: () => void;
    const holding = withTpmLock(tcti, env, silentLogger, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(20);
    await expect(withTpmLock(tcti, env, silentLogger, async () => 'never', 300)).rejects.toThrow(
      `unable to use the TPM: another run of the helper has held it for over 0.3 s (TCTI ${tcti.config})`,
    );
    release();
    await holding;
  });

  it('takes over at once the lock of a run that died holding it', async () => {
    const name = await lockName();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(folder(), name), tpmLockContent(dead));
    const started = Date.now();
    await expect(withTpmLock(tcti, env, silentLogger, async () => 'taken over', 1_000)).resolves.toBe('taken over');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('takes over the lock of a run in another PID namespace (a container sharing the folder) only once it is stale', async () => {
    const name = await lockName();
    const [, , drawn] = tpmLockContent().trim().split(' ');
    await expectTakenOverOnlyOnceStale(name, `${spawnSync(process.execPath, ['-e', '0']).pid!} pid:[1] ${drawn}\n`);
  });

  it('takes over a lock its holder has not restamped for 10 s (it hangs), but not a fresh one', async () => {
    const name = await lockName();
    await expectTakenOverOnlyOnceStale(name, tpmLockContent(process.ppid));
  });

  it('keeps its lock stamped while it holds it', async () => {
    const name = await lockName();
    await withTpmLock(tcti, env, silentLogger, async () => {
      const longAgo = new Date(Date.now() - 60_000);
      utimesSync(join(folder(), name), longAgo, longAgo);
      await sleep(2_300);
      expect(Date.now() - statSync(join(folder(), name)).mtimeMs).toBeLessThan(1_000);
    });
  });

  it('without $XDG_RUNTIME_DIR, uses a folder of this user\'s in the temporary folder', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rah-tpm-tmp-'));
    vi.stubEnv('TMPDIR', tmp);
    try {
      await withTpmLock(tcti, {}, silentLogger, async () => {
        expect(readdirSync(tmp)).toEqual([`roles-anywhere-helper-tpm-${process.getuid!()}`]);
      });
    } finally {
      vi.unstubAllEnvs();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  describe('where $XDG_RUNTIME_DIR cannot hold the lock (kept through su: another user\'s), falls back to the temporary folder', () => {
    let tmp: string;
    const tmpFolder = () => join(tmp, `roles-anywhere-helper-tpm-${process.getuid!()}`);
    const logged = () => {
      const lines: string[] = [];
      const logger: Logger = { ...silentLogger, warn: (...content) => lines.push(`warn ${content.join(' ')}`), debug: (...content) => lines.push(`debug ${content.join(' ')}`) };
      return { lines, logger };
    };

    beforeEach(() => {
      tmp = mkdtempSync(join(tmpdir(), 'rah-tpm-tmp-'));
      vi.stubEnv('TMPDIR', tmp);
    });

    afterEach(() => {
      vi.unstubAllEnvs();
      rmSync(tmp, { recursive: true, force: true });
    });

    it.each<[string, () => string]>([
      ['cannot be made there', () => {
        writeFileSync(join(runtime, 'not-a-folder'), '');
        env = { XDG_RUNTIME_DIR: join(runtime, 'not-a-folder') };
        return `cannot be made (${join(runtime, 'not-a-folder')} is a regular file, not a folder)`;
      }],
      ['belongs to another user, or may not be written to', () => {
        mkdirSync(folder(), { mode: 0o700 });
        // root may write anywhere: another user's folder is refused by its owner instead.
        if (process.getuid!() === 0) chownSync(folder(), 1, 1);
        else chmodSync(folder(), 0o500);
        return process.getuid!() === 0 ? 'belongs to another user' : 'cannot be written to (permission denied)';
      }],
    ])('the lock folder %s', async (_case, unusable) => {
      const problem = unusable();
      const { lines, logger } = logged();
      const lockFolder = join(env.XDG_RUNTIME_DIR!, 'roles-anywhere-helper-tpm');
      await withTpmLock(tcti, env, logger, async () => {
        expect(readdirSync(tmpFolder()).filter((name) => name.endsWith('.lock'))).toHaveLength(1);
      });
      expect(lines).toEqual([`debug TPM: the lock folder ${lockFolder} ${problem}; locking the TPM in ${tmpFolder()}`]);
      if (process.getuid!() !== 0 && existsSync(folder())) chmodSync(folder(), 0o700);
    });

    it('where another user made the temporary folder\'s first, falls back to the helper\'s cache folder', async () => {
      mkdirSync(folder(), { mode: 0o700 });
      chmodSync(folder(), 0o777);
      mkdirSync(tmpFolder(), { mode: 0o700 });
      chmodSync(tmpFolder(), 0o777); // as good as another user's: anyone may swap its locks
      const cache = join(tmp, 'cache');
      const { lines, logger } = logged();
      await withTpmLock(tcti, { ...env, ROLES_ANYWHERE_HELPER_CACHE_DIR: cache }, logger, async () => {
        expect(readdirSync(join(cache, 'tpm-locks')).filter((name) => name.endsWith('.lock'))).toHaveLength(1);
      });
      expect(lines).toEqual([
        `debug TPM: the lock folder ${folder()} is writable by others; the lock folder ${tmpFolder()} is writable by others; locking the TPM in ${join(cache, 'tpm-locks')}`,
      ]);
      expect(statSync(join(cache, 'tpm-locks')).mode & 0o777).toBe(0o700);
    });

    it('where neither folder may be used (writable by others), warns and goes on without a lock', async () => {
      mkdirSync(folder(), { mode: 0o700 });
      chmodSync(folder(), 0o777);
      mkdirSync(tmpFolder(), { mode: 0o700 });
      chmodSync(tmpFolder(), 0o777);
      const { lines, logger } = logged();
      // No cache folder either (else the user database's home would give one).
      const noCache = { ...env, ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off' };
      await expect(withTpmLock(tcti, noCache, logger, async () => [...readdirSync(folder()), ...readdirSync(tmpFolder())])).resolves.toEqual([]);
      expect(lines).toEqual([
        `warn TPM: not locking the TPM against other runs of the helper: the lock folder ${folder()} is writable by others; ` +
          `the lock folder ${tmpFolder()} is writable by others`,
      ]);
    });
  });
});
