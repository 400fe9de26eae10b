import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinary } from '../../scripts/nodeBinary.mjs';
import { errorLine, logLines, projectRoot, runCli, type CliOptions } from '../support/cli.js';
import { printedCredentials, Scenario, type LeafFiles } from '../support/scenario.js';

/**
 * Node.js's permission model, as a hardened service turns it on (NODE_OPTIONS=--permission with
 * --allow-fs-read and --allow-fs-write naming what the program may touch): Node 24's `--permission`, stable
 * there. A path not allowed makes even existsSync throw ERR_ACCESS_DENIED, whose message names neither the
 * path nor (before Node 24) the flag. Each command either works without what it was not allowed (the code
 * cache, the credential cache) or says in one line what Node refused and which flag allows it (QA: a stack
 * trace before every command where the home folder was not readable, `--cache` an internal error).
 */
const node = nodeBinary(24);
let scenario: Scenario;
let leaf: LeafFiles;
/** A home folder (HOME) the permission model is not told about: the default cache folder is below it. */
let home: string;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('permission');
  home = scenario.workspace.path('home');
  mkdirSync(home, { mode: 0o700 });
});
afterAll(() => scenario.stop());

/** The package and the certificate and key readable, nothing else; the cache folder found from HOME, as without the tests' variable. */
const allowed = () => `--allow-fs-read=${projectRoot} --allow-fs-read=${leaf.certPath} --allow-fs-read=${leaf.keyPath}`;
const options = (permissions: string, env: Record<string, string> = {}): CliOptions => ({
  node,
  env: { NODE_OPTIONS: `--permission ${permissions}`, HOME: home, ROLES_ANYWHERE_HELPER_CACHE_DIR: '', ...env },
});
const keyFlags = () => ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];

describe("under Node.js's permission model (--permission in NODE_OPTIONS)", () => {
  it('credential-process works with the package and its key files readable, the home folder not (no code cache then)', async () => {
    const result = await runCli(['credential-process', ...keyFlags(), ...scenario.sessionFlags()], options(allowed()));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(printedCredentials(scenario.emulator.issued.at(-1)!));
    expect(readdirSync(home)).toEqual([]);
  });

  it('with the package not readable, one line names it and the flag that allows it', async () => {
    for (const args of [['credential-process', ...keyFlags(), ...scenario.sessionFlags()], ['credential-process', '--cache', ...keyFlags()], ['version']]) {
      const result = await runCli(args, options(''));
      expect(result.stdout).toBe('');
      expect(result.code).toBe(1);
      const bundle = args.includes('--cache') ? 'shortcutHit' : 'cli';
      expect(errorLine(result)).toBe(
        `unable to read ${join(projectRoot, 'dist', `${bundle}.function.js`)}: Node's --permission denies it: allow the package's folder with --allow-fs-read=${projectRoot}`,
      );
    }
  });

  it('credential-process --cache with the cache folder not readable: the credentials, and a warning naming the flag', async () => {
    const result = await runCli(['credential-process', '--cache', ...keyFlags(), ...scenario.sessionFlags()], options(allowed()));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(printedCredentials(scenario.emulator.issued.at(-1)!));
    const credentials = join(home, '.cache/roles-anywhere-helper/credentials');
    expect(logLines(result.stderr)).toEqual([
      `warning: not using the credential cache in ${credentials}: it cannot be opened: Node's --permission denies it (${credentials}): allow it with --allow-fs-read`,
    ]);
    expect(readdirSync(home)).toEqual([]);
  });

  // Node's permission model refuses fsync whatever is allowed (ERR_ACCESS_DENIED, "fsync API is disabled when
  // Permission Model is enabled."): the cache goes without it (QA: no entry was ever stored, with every folder
  // readable and writable).
  it('credential-process --cache with the cache folder readable and writable: the second run is a hit', async () => {
    const cacheOptions = options(`--allow-fs-read=* --allow-fs-write=${home}`);
    const first = await runCli(['credential-process', '--cache', ...keyFlags(), ...scenario.sessionFlags()], cacheOptions);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const issued = scenario.emulator.issued.length;
    const second = await runCli(['credential-process', '--cache', ...keyFlags(), ...scenario.sessionFlags()], cacheOptions);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(scenario.emulator.issued.length).toBe(issued);
  });

  // fchmod too ("fchmod API is disabled when Permission Model is enabled."; QA: update always failed so).
  it('update with the folder of the credentials file writable: the file is written', async () => {
    const file = scenario.workspace.path('written/credentials');
    const result = await runCli(['update', '--once', ...keyFlags(), ...scenario.sessionFlags()], options(`--allow-fs-read=* --allow-fs-write=${scenario.workspace.dir}`, { AWS_SHARED_CREDENTIALS_FILE: file }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain(`aws_session_token = ${scenario.emulator.issued.at(-1)!.sessionToken}`);
  });

  // A credentials file with other hard links is written in place, with fsync too (QA review: exit 1, "fsync API is disabled").
  it('update of a credentials file with another hard link, its folder writable: written in place, the link sees it', async () => {
    const folder = scenario.workspace.path('linked');
    mkdirSync(folder);
    const file = join(folder, 'credentials');
    writeFileSync(file, '[other]\naws_access_key_id = kept\n', { mode: 0o600 });
    linkSync(file, join(folder, 'link'));
    const result = await runCli(['update', '--once', ...keyFlags(), ...scenario.sessionFlags()], options(`--allow-fs-read=* --allow-fs-write=${folder}`, { AWS_SHARED_CREDENTIALS_FILE: file }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const written = readFileSync(join(folder, 'link'), 'utf8');
    expect(written).toContain('aws_access_key_id = kept');
    expect(written).toContain(`aws_session_token = ${scenario.emulator.issued.at(-1)!.sessionToken}`);
  });

  it('cache clear with the cache folder not readable: one line naming the flag', async () => {
    const result = await runCli(['cache', 'clear'], options(allowed()));
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
    const credentials = join(home, '.cache/roles-anywhere-helper/credentials');
    expect(errorLine(result)).toBe(
      `unable to read the credential cache ${credentials}: Node's --permission denies it (${credentials}): allow it with --allow-fs-read`,
    );
  });

  it('update with the credentials file not writable: one line naming what was denied and the flag, no file', async () => {
    const file = scenario.workspace.path('aws/credentials');
    const result = await runCli(['update', '--once', ...keyFlags(), ...scenario.sessionFlags()], options(`${allowed()} --allow-fs-read=${scenario.workspace.dir}`, { AWS_SHARED_CREDENTIALS_FILE: file }));
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(
      // The folders on the way are looked at first (whose they are, who may write them): the first not readable is named.
      new RegExp(`^unable to write the credentials file ${file}: Node's --permission denies it \\((/\\S*\\): allow it with --allow-fs-read|${scenario.workspace.dir}/\\S*\\): allow it with --allow-fs-write)$`),
    );
    expect(existsSync(file)).toBe(false);
  });
});
