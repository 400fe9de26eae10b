import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import { copyTrackedFiles } from '../support/trackedFiles.js';

/** The set-up and the build (scripts/), as a new user or a CI runner meets them: on machines set up differently. */
const work = mkdtempSync(join(tmpdir(), 'rah-setup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a clone whose path has a space, a quote and a non-ASCII letter', () => {
  const parent = join(work, 'paths');
  const tree = join(parent, "a clone's tree ü");

  it('builds, and finds the Nodes the tests use in its own .cache (QA: the build read package.json at …/a%20clone\'s%20tree%20%C3%BC/)', () => {
    copyTrackedFiles(tree);
    symlinkSync(join(projectRoot, 'node_modules'), join(tree, 'node_modules'));
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: tree, stdio: 'pipe' });
    expect(execFileSync(process.execPath, [join(tree, 'bin/aws_signing_helper.cjs'), 'version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);

    // A Node already there is found, not installed again (with no npm on PATH, an install fails).
    const node22 = join(projectRoot, '.cache/node22');
    execFileSync(process.execPath, [join(projectRoot, 'scripts/nodeBinary.mjs'), '22']);
    mkdirSync(join(tree, '.cache'), { recursive: true });
    symlinkSync(node22, join(tree, '.cache/node22'));
    const bin = join(work, 'node-only');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const printed = execFileSync(join(bin, 'node'), ['scripts/nodeBinary.mjs', '22'], { cwd: tree, encoding: 'utf8', env: { PATH: bin } });
    expect(printed).toBe(`${join(tree, '.cache/node22/node_modules/node/bin/node')}\n`);
    expect(readdirSync(parent)).toEqual([basename(tree)]);
  });
});

describe('the build in a tree already built (setup.sh runs it with --if-changed)', () => {
  it('leaves what it built from the same sources as it is, so that a demo running from it goes on (QA: a second demo removed its dist/)', () => {
    const tree = join(work, 'built');
    copyTrackedFiles(tree);
    symlinkSync(join(projectRoot, 'node_modules'), join(tree, 'node_modules'));
    const build = () => execFileSync(process.execPath, ['scripts/build.mjs', '--if-changed'], { cwd: tree, stdio: 'pipe' });
    const bundle = () => statSync(join(tree, 'dist/cli.function.js')).ino;
    build();
    const first = bundle();
    build();
    expect(bundle()).toBe(first);
    // Another source is another build.
    appendFileSync(join(tree, 'src/errors.ts'), '// changed\n');
    build();
    expect(bundle()).not.toBe(first);
    // Another version in package.json alone (a hand edit, the lockfile as it was): the bundles carry it (review).
    const packageJson = join(tree, 'package.json');
    writeFileSync(packageJson, readFileSync(packageJson, 'utf8').replace(/"version": "[^"]+"/, '"version": "9.8.7"'));
    build();
    expect(execFileSync(process.execPath, [join(tree, 'bin/aws_signing_helper.cjs'), 'version'], { encoding: 'utf8' }).trim()).toBe('9.8.7');
  });
});

describe('setup.sh, with npm set as a security-conscious user sets it', () => {
  const tree = join(work, 'npm-settings');
  /** npm leaving out optional and dev dependencies, and running no install or prepare scripts; offline where it can be. */
  const settings = { npm_config_ignore_scripts: 'true', npm_config_omit: 'optional', NODE_ENV: 'production', npm_config_prefer_offline: 'true' };

  it("installs what the build needs and builds: the demo's set-up (QA: the build failed without esbuild or TypeScript's binary, or never ran)", async () => {
    copyTrackedFiles(tree);
    await promisify(execFile)('bash', ['scripts/setup.sh', 'demo'], { cwd: tree, env: { ...process.env, ...settings }, timeout: 300_000 });
    expect(execFileSync(process.execPath, [join(tree, 'bin/aws_signing_helper.cjs'), 'version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(join(tree, 'dist/emulator.mjs'))).toBe(true);
  }, 360_000);

  it.runIf(process.getuid?.() === 0)("says in one line that the tests' native parts need install scripts, and how to run them (QA: the set-up went on without them)", async () => {
    // The Nodes the tests use, where they are (the tree's .cache holds its own build's stamp).
    mkdirSync(join(tree, '.cache'), { recursive: true });
    for (const major of ['22', '24', '26']) symlinkSync(join(projectRoot, `.cache/node${major}`), join(tree, `.cache/node${major}`));
    const result = await promisify(execFile)('bash', ['scripts/setup.sh'], { cwd: tree, env: { ...process.env, ...settings }, timeout: 120_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      "setup: the tests need the native parts (pkcs11js, serve --hop-limit's addon), which install scripts build, and npm is set to run none (ignore-scripts): run 'npm_config_ignore_scripts=false bash scripts/test.sh' (the demo needs neither)",
    );
  });
});

describe('setup.sh, run by a user who is not root, on a machine without sudo', () => {
  it.runIf(process.getuid?.() === 0)('says in one line which Debian packages to install as root, and installs nothing (QA: "sudo: command not found")', async () => {
    const folder = join(work, 'no-sudo');
    mkdirSync(join(folder, 'scripts'), { recursive: true });
    cpSync(join(projectRoot, 'scripts/setup.sh'), join(folder, 'scripts/setup.sh'));
    // A PATH with what the script itself runs, and none of the tests' tools (nor python3, nor sudo).
    const bin = join(folder, 'bin');
    mkdirSync(bin);
    for (const tool of ['bash', 'dirname', 'id']) symlinkSync(execFileSync('which', [tool], { encoding: 'utf8' }).trim(), join(bin, tool));
    chmodSync(work, 0o711); // for that user to reach the folder
    const result = await promisify(execFile)(join(bin, 'bash'), ['scripts/setup.sh'], { cwd: folder, env: { PATH: bin }, uid: 65534, gid: 65534 }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(
      /^setup: the tests need Debian packages that only root can install, and there is no sudo: as root, run 'apt-get update && apt-get install --no-install-recommends softhsm2 opensc .* python3-boto3 ruby-aws-sdk-core libtss2-tcti-swtpm0', then this again \(the demo needs none of them\)\n$/,
    );
  });
});
