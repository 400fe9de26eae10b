import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLine, logLines, runCli } from '../support/cli.js';
import { startCommand } from '../support/longRunning.js';
import { Scenario, type LeafFiles } from '../support/scenario.js';

/**
 * Filesystems that keep no file modes, as FAT and exFAT mounts are (`mount -t vfat -o umask=022`): every
 * file and folder has one mode, 0755, and a chmod that would change it is refused with EPERM. This kernel
 * mounts no vfat, so bindfs (FUSE) makes such a mount of a workspace folder: root only, with bindfs and
 * /dev/fuse (scripts/setup.sh installs bindfs).
 */
const canMount = process.getuid?.() === 0 && spawnSync('bindfs', ['--version']).status === 0 && existsSync('/dev/fuse');

let scenario: Scenario;
let leaf: LeafFiles;
const mounted: string[] = [];
let counter = 0;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('modeless');
});
afterAll(async () => {
  for (const path of mounted) spawnSync('umount', [path]);
  await scenario.stop();
});

/** A new folder on a mode-less mount, and the folder it shows (where its files really are, with the modes asked for). */
function modelessFolder(): { path: string; source: string } {
  const source = scenario.workspace.path(`modeless-source-${++counter}`);
  const path = scenario.workspace.path(`modeless-${counter}`);
  mkdirSync(source, { mode: 0o700 });
  mkdirSync(path);
  execFileSync('bindfs', ['--perms=0755', '--chmod-deny', source, path]);
  mounted.push(path);
  return { path, source };
}

const keyFlags = () => ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];

describe.runIf(canMount)('on a filesystem that keeps no file modes (FAT, exFAT)', () => {
  it('credential-process --cache caches nothing, saying why once a run, and removes an entry an earlier version left there (QA: each run wrote credentials into a file every user could read)', async () => {
    const cache = modelessFolder();
    const run = () => runCli(['credential-process', '--cache', ...keyFlags(), ...scenario.sessionFlags()], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: cache.path } });
    const credentials = join(cache.path, 'credentials');
    const warning = `warning: unable to cache the credentials in ${credentials}: its filesystem keeps no file modes: a file made 0600 there has mode 0755, which other users may read`;
    const before = scenario.emulator.issued.length;
    for (let i = 0; i < 2; i++) {
      const result = await run();
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
      expect(logLines(result.stderr)).toEqual([warning]);
      expect(readdirSync(credentials)).toEqual([]);
    }
    expect(scenario.emulator.issued.length).toBe(before + 2);

    // An entry an earlier version stored there, as the filesystem shows it: readable by every user.
    const elsewhere = scenario.workspace.path(`modeless-earlier-${counter}`);
    expect((await runCli(['credential-process', '--cache', ...keyFlags(), ...scenario.sessionFlags()], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: elsewhere } })).code).toBe(0);
    const [name] = readdirSync(join(elsewhere, 'credentials')).filter((entry) => entry.endsWith('.json'));
    execFileSync('cp', ['-p', join(elsewhere, 'credentials', name!), join(cache.source, 'credentials', name!)]);
    const result = await run();
    expect(result.code).toBe(0);
    expect(logLines(result.stderr)).toEqual([
      `warning: ignoring the cached credentials ${join(credentials, name!)}: it is readable by other users (mode 0755), who may have read its credentials`,
    ]);
    expect(readdirSync(join(cache.source, 'credentials'))).toEqual([]);
  });

  it('update creates the credentials file all the same, as the reference does, and says it is readable by every user (QA: "permission denied")', async () => {
    const home = modelessFolder();
    const path = join(home.path, '.aws', 'credentials');
    const result = await runCli(['update', '--once', ...keyFlags(), ...scenario.sessionFlags()], { env: { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' } });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(logLines(result.stderr)).toEqual([
      `warning: the credentials file ${path} is readable by every user (mode 0755), who can then use the credentials: chmod o-r it (on a filesystem that keeps no file modes, FAT or exFAT, keep it on another)`,
    ]);
    expect(readFileSync(path, 'utf8')).toContain(`aws_access_key_id = ${scenario.emulator.issued.at(-1)!.accessKeyId}\n`);
  });

  it('serve --ecs refuses a TMPDIR there for its token, in one line, leaving nothing (QA: "internal error: EPERM")', async () => {
    const tmp = modelessFolder();
    const result = await runCli(['serve', '--ecs', '--port', '0', ...keyFlags(), ...scenario.sessionFlags()], { env: { TMPDIR: tmp.path } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(
      `unable to create a folder for the auth token in ${tmp.path} (the temporary folder, from TMPDIR): its filesystem keeps no file modes: ` +
        'a folder made 0700 there has mode 0755, which lets other users read the token; point TMPDIR at a folder this user can write, or give --auth-token-file',
    );
    expect(readdirSync(tmp.path)).toEqual([]);
  });

  it('serve --ecs --auth-token-file makes no token file there, which every user could read, and says why (review: it made one quietly)', async () => {
    const folder = modelessFolder();
    const path = join(folder.path, 'token');
    const result = await runCli(['serve', '--ecs', '--port', '0', '--auth-token-file', path, ...keyFlags(), ...scenario.sessionFlags()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(
      `unable to create auth token file ${path}: its filesystem keeps no file modes: a file made 0600 there has mode 0755, which other users may read; give a path on another filesystem`,
    );
    expect(readdirSync(folder.source)).toEqual([]);
  });
});

/**
 * exFAT through FUSE (exfat-fuse, on a loop device: root only, with exfatprogs and exfat-fuse, which
 * scripts/setup.sh installs): no hard links, and one mode for every file, here 0700 (`umask=077`, a
 * mount for one user).
 */
const canMountExfat = canMount && spawnSync('sh', ['-c', 'command -v mkfs.exfat && command -v mount.exfat-fuse && command -v losetup']).status === 0 && existsSync('/dev/loop-control');
const loopDevices: string[] = [];
afterAll(() => {
  for (const device of loopDevices) spawnSync('losetup', ['-d', device]);
});

function exfatFolder(options: string): string {
  const image = scenario.workspace.path(`exfat-${++counter}.img`);
  const path = scenario.workspace.path(`exfat-${counter}`);
  execFileSync('truncate', ['-s', '8M', image]);
  execFileSync('mkfs.exfat', [image], { stdio: 'ignore' });
  const device = execFileSync('losetup', ['-f', '--show', image], { encoding: 'utf8' }).trim();
  loopDevices.push(device);
  mkdirSync(path);
  execFileSync('mount.exfat-fuse', ['-o', options, device, path], { stdio: 'ignore' });
  mounted.push(path);
  return path;
}

describe.runIf(canMountExfat)('on exFAT, which has no hard links', () => {
  it('serve --ecs --auth-token-file creates its token file in place, where it cannot link one (review: "permission denied")', async () => {
    const path = join(exfatFolder('umask=077'), 'token');
    const serve = startCommand(['serve', '--ecs', '--port', '0', '--auth-token-file', path, ...keyFlags(), ...scenario.sessionFlags()]);
    try {
      await serve.waitFor(/Local server started on port/);
      expect(serve.stderr()).not.toMatch(/warning|error/);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    expect(readFileSync(path, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readdirSync(dirname(path))).toEqual(['token']);
  });
});

describe('a umask that takes the owner\'s own bits (0277)', () => {
  it("update makes ~/.aws 0700 and the file 0600 all the same, not a folder its owner cannot write in (QA: 0500, which broke the AWS CLI too)", async () => {
    const home = scenario.workspace.path(`umask-home-${++counter}`);
    mkdirSync(home, { mode: 0o700 });
    const result = await runCli(['update', '--once', ...keyFlags(), ...scenario.sessionFlags()], {
      env: { HOME: home, AWS_MAX_ATTEMPTS: '1' },
      via: ['sh', '-c', 'umask 0277 && exec "$@"', 'sh'],
    });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(statSync(join(home, '.aws')).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, '.aws', 'credentials')).mode & 0o777).toBe(0o600);
  });

  it('credential-process writes its code cache 0600, which its owner can read (review: 0777 made it 0000, and every run wrote another)', async () => {
    const cache = scenario.workspace.path(`umask-cache-${++counter}`);
    const result = await runCli(['credential-process', ...keyFlags(), ...scenario.sessionFlags()], {
      env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: cache },
      via: ['sh', '-c', 'umask 0777 && exec "$@"', 'sh'],
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const written = readdirSync(cache).filter((name) => name.endsWith('.v8cache'));
    expect(written).toHaveLength(1);
    expect(statSync(join(cache, written[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
  });

  it('serve --ecs --auth-token-file makes its token 0600, which its owner can read (0777 made it 0000)', async () => {
    const path = scenario.workspace.path(`umask-token-${++counter}`);
    const serve = startCommand(['serve', '--ecs', '--port', '0', '--auth-token-file', path, ...keyFlags(), ...scenario.sessionFlags()], {}, undefined, ['sh', '-c', 'umask 0777 && exec "$@"', 'sh']);
    try {
      await serve.waitFor(/Local server started on port/);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
