import { fromIni } from '@aws-sdk/credential-providers';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lchownSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { errorLine, expectFailure, logLines, runCli } from '../support/cli.js';
import { firstHit, hanging, refusing } from '../support/fakeEndpoints.js';
import { startCommand } from '../support/longRunning.js';
import { ARNS, Scenario, leafFilesOf, unreachableHome, type LeafFiles } from '../support/scenario.js';
import { straceFault } from '../support/strace.js';

let scenario: Scenario;
let leaf: LeafFiles;
let counter = 0;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('update');
});
afterAll(async () => scenario.stop());

const flags = (endpoint = scenario.emulator.url) => [
  '--certificate', leaf.certPath, '--private-key', leaf.keyPath,
  ...scenario.sessionFlags(endpoint),
];

/** A fresh credentials file path, in a folder that does not exist yet unless `existing`. */
function credentialsPath(existing = true, folder = `case-${++counter}`): string {
  if (existing) mkdirSync(scenario.workspace.path(folder));
  return scenario.workspace.path(`${folder}/credentials`);
}

const updateOnce = (path: string, extra: string[] = [], endpoint?: string) =>
  runCli(['update', '--once', ...flags(endpoint), ...extra], { env: { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' } });

/** updateOnce(path), its node run through `via` (strace, unshare). */
const updateOnceVia = (path: string, via: readonly string[]) =>
  runCli(['update', '--once', ...flags()], { env: { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' }, via });

/** Resolves once a run has begun to write its new copy in `folder` (a `.tmp` file is there); fails after 20 s. */
async function untilWriting(folder: string): Promise<void> {
  for (let waited = 0; !readdirSync(folder).some((name) => name.endsWith('.tmp')); waited += 20) {
    if (waited > 20_000) throw new Error(`no run got to write in ${folder}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const credentialLines = (key: string, issued = scenario.emulator.issued.at(-1)!) =>
  `aws_access_key_id = ${issued.accessKeyId}${key}aws_secret_access_key = ${issued.secretAccessKey}${key}aws_session_token = ${issued.sessionToken}${key}`;

describe('update --once', () => {
  it('creates a missing file (0600) in a missing folder (0700), which the AWS SDK for JavaScript v3 fromIni() reads', async () => {
    const path = credentialsPath(false);
    const result = await updateOnce(path, ['--profile', 'roles-anywhere']);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(path, 'utf8')).toBe(`[roles-anywhere]\n${credentialLines('\n')}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(scenario.workspace.path(`case-${counter}`)).mode & 0o777).toBe(0o700);
    const credentials = await fromIni({ profile: 'roles-anywhere', filepath: path, configFilepath: '/dev/null' })();
    expect(credentials.accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
  });

  it('keeps every byte outside the profile\'s three keys: comments, other profiles, its region line last in the file, CRLF', async () => {
    const path = credentialsPath();
    const before = '# my credentials\r\n[work]\r\naws_access_key_id = WORK\r\n\r\n; default profile:\r\n[default]\r\naws_access_key_id = OLD\r\nregion = eu-west-1';
    writeFileSync(path, before, { mode: 0o640 });
    chmodSync(path, 0o640);
    expect((await updateOnce(path)).code).toBe(0);
    const issued = scenario.emulator.issued.at(-1)!;
    expect(readFileSync(path, 'utf8')).toBe(
      `# my credentials\r\n[work]\r\naws_access_key_id = WORK\r\n\r\n; default profile:\r\n[default]\r\naws_access_key_id = ${issued.accessKeyId}\r\nregion = eu-west-1\r\n` +
        `aws_secret_access_key = ${issued.secretAccessKey}\r\naws_session_token = ${issued.sessionToken}\r\n`,
    );
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('updates a file written as botocore reads it (`:` and upper-case keys, a continued value, `[ default ]` another profile), the keys written in lower case with `=`, and boto3 and the JavaScript SDK read the new credentials', async () => {
    const path = credentialsPath();
    const before = '[ default ]\naws_access_key_id = SPACED\naws_secret_access_key = spaced\n\n[default]\nAWS_ACCESS_KEY_ID: OLD\n' +
      'aws_session_token = OLD\n  OLD-CONTINUED\nregion = eu-west-1\n  continued\n';
    writeFileSync(path, before);
    expect((await updateOnce(path)).code).toBe(0);
    const issued = scenario.emulator.issued.at(-1)!;
    expect(readFileSync(path, 'utf8')).toBe(
      `[ default ]\naws_access_key_id = SPACED\naws_secret_access_key = spaced\n\n[default]\naws_access_key_id= ${issued.accessKeyId}\n` +
        `aws_session_token = ${issued.sessionToken}\nregion = eu-west-1\n  continued\naws_secret_access_key = ${issued.secretAccessKey}\n`,
    );
    const script = 'import boto3\nfor name in ("default", " default "):\n    c = boto3.Session(profile_name=name).get_credentials()\n    print(c.access_key, c.secret_key, c.token)';
    const { stdout } = await promisify(execFile)('python3', ['-c', script], {
      env: { PATH: process.env.PATH, HOME: scenario.workspace.dir, AWS_SHARED_CREDENTIALS_FILE: path, AWS_CONFIG_FILE: '/dev/null' },
    });
    expect(stdout).toBe(`${issued.accessKeyId} ${issued.secretAccessKey} ${issued.sessionToken}\nSPACED spaced None\n`);
    // The `:` is written `=`, which alone the JavaScript SDK reads (QA: fuzzing).
    const credentials = await fromIni({ profile: 'default', filepath: path, configFilepath: '/dev/null', ignoreCache: true })();
    expect(credentials).toMatchObject({ accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken });
  });

  it('refuses, exit 1, leaving the file as it was, one the JavaScript SDK reads otherwise than botocore where the write would show it (QA: fuzzing; fromIni read the new credentials as the profile before\'s)', async () => {
    const path = credentialsPath();
    const before = '[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = work\n\n[default] - mine\nregion = eu-west-1\n';
    writeFileSync(path, before);
    const result = await updateOnce(path);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(result)).toBe(
      `unable to write the credentials file ${path}: the AWS SDK for JavaScript reads it otherwise than botocore (the AWS CLI) does, and would read aws_access_key_id of profile "work" otherwise after the write; ` +
        'make the two read it alike (no text after a section\'s "]", no indented header or setting)',
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('refuses, exit 1, nothing on stdout, leaving it byte for byte, a file of UTF-16 text (with its byte order mark or without), one that starts with a byte order mark or one of NULs, with --once and without (QA: line endings)', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[default]\r\naws_access_key_id = OLD\r\n', 'utf16le')]);
    const marked = Buffer.from('\uFEFF[default]\r\naws_access_key_id = OLD\r\n');
    for (const [before, reason] of [
      [utf16, 'it is UTF-16 text, as Windows PowerShell 5 writes with > or Out-File: save it as UTF-8 or ASCII'],
      [utf16.subarray(2), 'it is UTF-16 text without a byte order mark, of which no reader of the file (botocore, the AWS SDKs) takes a profile: save it as UTF-8 or ASCII'],
      [marked, 'it starts with a byte order mark, with which botocore (the AWS CLI) reads none of it: save it without one'],
      [Buffer.alloc(64), 'it holds a line of NUL bytes (what a crash can leave of a file), with which botocore (the AWS CLI) reads none of it: remove them, or the file'],
    ] as const) {
      for (const once of [['--once'], []]) {
        const path = credentialsPath();
        writeFileSync(path, before, { mode: 0o600 });
        const result = await runCli(['update', ...once, ...flags()], { env: { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 20_000 });
        expectFailure(result, `unable to write the credentials file ${path}: ${reason}`);
        expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
        expect(readFileSync(path)).toEqual(before);
        expect(readdirSync(dirname(path))).toEqual(['credentials']);
      }
    }
  });

  it('leaves the file byte-identical, and exits 1 with the reason, when the refresh fails', async () => {
    const path = credentialsPath();
    const before = '[default]\naws_access_key_id = KEEP\n';
    writeFileSync(path, before);
    const mtime = statSync(path).mtimeMs;
    const result = await updateOnce(path, [], await refusing());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toMatch(/^operation error RolesAnywhere: CreateSession, request send failed, .*ECONNREFUSED/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('writes through a symbolic link instead of replacing it', async () => {
    const real = credentialsPath();
    const link = scenario.workspace.path('linked-credentials');
    writeFileSync(real, '');
    symlinkSync(real, link);
    expect((await updateOnce(link)).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain(scenario.emulator.issued.at(-1)!.accessKeyId);
  });

  it('8 concurrent processes on one file leave 8 intact profiles, round after round', async () => {
    const path = credentialsPath();
    writeFileSync(path, '# shared\n');
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => updateOnce(path, ['--profile', `p${i}`])),
      );
      expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
      const text = readFileSync(path, 'utf8');
      const issuedKeys = new Set(scenario.emulator.issued.map((s) => s.accessKeyId));
      expect(text.startsWith('# shared\n')).toBe(true);
      for (let i = 0; i < 8; i++) {
        const section = new RegExp(`\\[p${i}\\]\\naws_access_key_id = (ASIA\\w+)\\naws_secret_access_key = \\S+\\naws_session_token = \\S+\\n`).exec(text);
        expect(section, `profile p${i} in round ${round}`).not.toBeNull();
        expect(issuedKeys.has(section![1]!)).toBe(true);
      }
      expect(text.match(/^\[/gm)!.length).toBe(8);
    }
  });

  it("does not undo another process's write when its own stalled past the lock's stale bound and was taken over, nor take that one's lock away (QA, review)", async () => {
    const path = credentialsPath();
    writeFileSync(path, '[a]\naws_access_key_id = OLD_A\n[b]\naws_access_key_id = OLD_B\n', { mode: 0o600 });
    const env = { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' };
    // strace holds a run's first fsync: its temporary copy is written, not yet renamed.
    const holdingFsync = (seconds: number) => straceFault('fsync', `delay_enter=${seconds * 1_000_000}`, { when: 1 });
    const stalled = runCli(['update', '--once', ...flags(), '--profile', 'a'], { env, via: holdingFsync(12), timeoutMs: 60_000 });
    const folder = dirname(path);
    await untilWriting(folder);
    // The second run takes the lock over once it has gone 10 s unstamped, and is still writing (8 s) when
    // the first wakes (at 12 s) and finds it lost: the first must leave the lock to it, or the second would fail too.
    const second = runCli(['update', '--once', ...flags(), '--profile', 'b'], { env, via: holdingFsync(8), timeoutMs: 60_000 });
    const first = await stalled;
    expectFailure(
      first,
      `unable to write the credentials file ${path}: another process took its lock over while this run was held up (past the lock's 10 s: a slow disk, a stopped process): not written, so as not to undo what that process wrote`,
    );
    expect(existsSync(`${path}.lock`)).toBe(true);
    // The second waited for the first's lock, and said so.
    expect(await second).toMatchObject({ code: 0, stderr: expect.stringMatching(/^\S+ \S+ waiting for another update to finish with .+\n$/) });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`[b]\naws_access_key_id = ${scenario.emulator.issued.at(-1)!.accessKeyId}\n`);
    expect(text).toContain('[a]\naws_access_key_id = OLD_A\n');
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([]);
  }, 90_000);

  it("says so when its rename was held up past the lock's bound and another process's write may be lost (QA: a profile lost, both exits 0)", async () => {
    const path = credentialsPath();
    writeFileSync(path, '[keep]\naws_access_key_id = KEEP\n', { mode: 0o600 });
    const env = { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' };
    // strace holds the first run's rename for 12 s: the second takes the lock over after 10 s and writes.
    const holdingRename = straceFault('rename', 'delay_enter=12000000');
    const stalled = runCli(['update', '--once', ...flags(), '--profile', 'a'], { env, via: holdingRename, timeoutMs: 60_000 });
    await untilWriting(dirname(path));
    const second = await runCli(['update', '--once', ...flags(), '--profile', 'b'], { env, timeoutMs: 60_000 });
    expect(second.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('[b]\n');
    expectFailure(
      await stalled,
      `the credentials file ${path} was written, but another process took its lock over while this run's write was held up ` +
        "(past the lock's 10 s: a slow disk, a stopped process): what that process wrote meanwhile may have been replaced; run that other update again",
    );
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('[keep]\naws_access_key_id = KEEP\n');
    expect(text).toContain('[a]\n');
  }, 90_000);

  it("keeps what another program wrote without the lock while its new copy was being written and synced, reading the file again (QA: a profile of aws configure set lost)", async () => {
    const path = credentialsPath();
    writeFileSync(path, '[a]\naws_access_key_id = OLD_A\n', { mode: 0o600 });
    const env = { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' };
    // strace holds the run's first fsync, of its new copy: the file is changed meanwhile, as `aws configure set` writes it, in place.
    const via = straceFault('fsync', 'delay_enter=3000000', { when: 1 });
    const running = runCli(['update', '--once', ...flags(), '--profile', 'b'], { env, via, timeoutMs: 60_000 });
    const folder = dirname(path);
    await untilWriting(folder);
    writeFileSync(path, '[a]\naws_access_key_id = OLD_A\n[configured]\naws_access_key_id = AKIACONFIGURED\n');
    expect(await running).toMatchObject({ code: 0, stderr: '' });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('[configured]\naws_access_key_id = AKIACONFIGURED\n');
    expect(text).toContain(`[b]\naws_access_key_id = ${scenario.emulator.issued.at(-1)!.accessKeyId}\n`);
  }, 60_000);

  it('writes all the same when its write is held up past the lock\'s stale bound but nobody took the lock (review)', async () => {
    const path = credentialsPath();
    writeFileSync(path, '[a]\naws_access_key_id = OLD_A\n', { mode: 0o600 });
    const result = await runCli(['update', '--once', ...flags(), '--profile', 'a'], {
      env: { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' },
      via: straceFault('fsync', 'delay_enter=12000000', { when: 1 }),
      timeoutMs: 60_000,
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(path, 'utf8')).toContain(`[a]\naws_access_key_id = ${scenario.emulator.issued.at(-1)!.accessKeyId}\n`);
  }, 60_000);

  it("fails at once, naming it, when the folder cannot be made (under /proc, where Node's recursive mkdirSync never returns)", async () => {
    const result = await updateOnce('/proc/no-such-folder/credentials');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
    expect(errorLine(result)).toBe('unable to create the folder of the credentials file /proc/no-such-folder/credentials: /proc/no-such-folder: no such file or directory');
  });

  it('refuses a home folder that does not exist (HOME=/nonexistent, a system user\'s), rather than make it, before any CreateSession (QA: root made /nonexistent/.aws)', async () => {
    const home = scenario.workspace.path('nonexistent');
    const before = scenario.emulator.issued.length;
    const result = await runCli(['update', '--once', ...flags()], { env: { HOME: home } });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
    expect(errorLine(result)).toBe(`unable to write the credentials file ${home}/.aws/credentials: the home folder "${home}" does not exist (make it, or set AWS_SHARED_CREDENTIALS_FILE)`);
    expect(existsSync(home)).toBe(false);
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it('refuses a home folder that does not exist for AWS_SHARED_CREDENTIALS_FILE=~/…, as for the default path, rather than make it (QA: root made /nonexistent/.aws all the same)', async () => {
    const home = scenario.workspace.path('nonexistent');
    const before = scenario.emulator.issued.length;
    const result = await runCli(['update', '--once', ...flags()], { env: { HOME: home, AWS_SHARED_CREDENTIALS_FILE: '~/.aws/credentials' } });
    expectFailure(result, `unable to write the credentials file ${home}/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE ~/.aws/credentials): the home folder "${home}" does not exist (make it, or give the path in full)`);
    expect(existsSync(home)).toBe(false);
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it.runIf(process.getuid?.() === 0)('with no home folder at all (no HOME, a user the user database does not know: docker run --user 4242), says what to set, and for AWS_SHARED_CREDENTIALS_FILE=~/… that its ~ needs one (review: told to set the variable that was set)', async () => {
    expect(spawnSync('getent', ['passwd', '4242']).status).toBe(2); // no such entry
    const folder = mkdtempSync(join(tmpdir(), 'rah-homeless-'));
    try {
      chmodSync(folder, 0o755);
      const [certificate, key] = leafFilesOf(4242, leaf, folder);
      const before = scenario.emulator.issued.length;
      const run = (env: Record<string, string>) => runCli(['update', '--once', '--certificate', certificate, '--private-key', key, ...flags().slice(4)], {
        env: { HOME: '', ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off', ...env },
        via: ['setpriv', '--reuid=4242', '--regid=4242', '--clear-groups'],
        cwd: folder,
      });
      expectFailure(await run({}), 'unable to locate the home directory: set HOME or AWS_SHARED_CREDENTIALS_FILE');
      expectFailure(
        await run({ AWS_SHARED_CREDENTIALS_FILE: '~/.aws/credentials' }),
        'unable to use AWS_SHARED_CREDENTIALS_FILE ~/.aws/credentials: there is no home folder for its ~ (set HOME, or give the path in full)',
      );
      expect(readdirSync(folder).sort()).toEqual(['cert.pem', 'key.pem']);
      expect(scenario.emulator.issued.length).toBe(before);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('takes a relative HOME from the working folder, as the reference and botocore do, and refuses one that is not there rather than make it (QA: HOME=rel/dir made ./rel/dir/.aws)', async () => {
    const cwd = scenario.workspace.path(`case-${++counter}`);
    mkdirSync(cwd);
    const before = scenario.emulator.issued.length;
    const missing = await runCli(['update', '--once', ...flags()], { env: { HOME: 'rel/dir' }, cwd });
    expect(missing.stdout).toBe('');
    expect(missing.code).toBe(1);
    expect(errorLine(missing)).toBe(`unable to write the credentials file rel/dir/.aws/credentials: the home folder "rel/dir" (in the working folder ${cwd}) does not exist (make it, or set AWS_SHARED_CREDENTIALS_FILE)`);
    expect(readdirSync(cwd)).toEqual([]);
    expect(scenario.emulator.issued.length).toBe(before);
    mkdirSync(join(cwd, 'rel/dir'), { recursive: true });
    expect(await runCli(['update', '--once', ...flags()], { env: { HOME: 'rel/dir' }, cwd })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(cwd, 'rel/dir/.aws/credentials'), 'utf8')).toBe(`[default]\n${credentialLines('\n')}\n`);
  });

  it("refuses a ~user path, which botocore reads as that user's home and Node cannot look up, rather than write ./~user/…", async () => {
    const result = await updateOnce('~root/credentials');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
    expect(errorLine(result)).toBe('unable to use AWS_SHARED_CREDENTIALS_FILE ~root/credentials: a ~user path is not expanded here; give the path in full');
    expect(existsSync('~root')).toBe(false);
  });

  it('refuses a FIFO or a device as the credentials file, at once (issue 13, item 7)', async () => {
    const fifo = credentialsPath();
    execFileSync('mkfifo', [fifo]);
    const result = await runCli(['update', '--once', ...flags()], { env: { AWS_SHARED_CREDENTIALS_FILE: fifo, AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 10_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(`unable to write the credentials file ${fifo}: not a regular file (a FIFO)`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const device = await runCli(['update', '--once', ...flags()], { env: { AWS_SHARED_CREDENTIALS_FILE: '/dev/zero', AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 10_000 });
    expect(device.code).toBe(1);
    expect(errorLine(device)).toBe('unable to write the credentials file /dev/zero: not a regular file (a character device)');
    expect(existsSync('/dev/zero.lock')).toBe(false);
  });

  it.each([['a]b'], ['default '], [' default'], ['\tdefault'], ['a\nb'], ['a\u0001b'], ['\u001fa'], ['a\u0001'], ['a\u007fb'], [''], ['#prod'], ['team;1'], ['a #b'], ['a[b']])(
    'refuses the profile name %j, which a section header cannot hold as it is, holds as a name nobody types (issue 13, item 15), or makes the Go SDK refuse the whole file (QA: v1 refused [#prod], [a #b] and [a[b]; the current v2, [team;1])',
    async (profile) => {
      const path = credentialsPath();
      const before = '[default]\naws_access_key_id = KEEP\n';
      writeFileSync(path, before);
      const result = await updateOnce(path, ['--profile', profile]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(errorLine(result)).toBe(
        // Quoted as the CLI quotes names: DEL, which JSON leaves as it is, escaped.
        `invalid --profile ${JSON.stringify(profile).replaceAll('\x7f', '\\x7f')}: a profile name is a section name: not empty, no spaces at either end, no control characters, and none of [ ] # ; (the AWS SDK for Go reads no file holding such a section)`,
      );
      expect(readFileSync(path, 'utf8')).toBe(before);
    },
  );

  const otherSdksReadNoProfile = 'the AWS SDK for JavaScript (fromIni) reads none of the profiles of a file holding a section of that name';
  it.each([
    // QA: fuzzing; a profile of long-term keys got its session token, botocore's reading.
    ['DEFAULT', "botocore (the AWS CLI) reads no profile of that name, but reads a [DEFAULT] section's settings as those of every other profile, whose own keys would then go with its session token"],
    // Review: refused after a CreateSession, as a file it reads otherwise.
    ['__proto__', otherSdksReadNoProfile],
    ['profile __proto__', otherSdksReadNoProfile],
  ])('refuses the profile name %j at once, before a CreateSession, as one an SDK reads otherwise than as that profile', async (profile, reason) => {
    const path = credentialsPath();
    const before = '[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = work\n';
    writeFileSync(path, before);
    const issued = scenario.emulator.issued.length;
    const result = await updateOnce(path, ['--profile', profile]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(result)).toBe(`invalid --profile ${JSON.stringify(profile)}: ${reason}`);
    expect(scenario.emulator.issued.length).toBe(issued);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});

describe('update --once where files and folders are unusual (issue 13, items 16-18)', () => {
  it('writes in place a file that cannot be replaced by rename: a single-file bind mount, as docker -v file:file makes (item 16)', async () => {
    const source = credentialsPath();
    const mounted = credentialsPath();
    writeFileSync(source, '[other]\nx = 1\n', { mode: 0o640 });
    chmodSync(source, 0o640);
    writeFileSync(mounted, '');
    // The bind mount exists only in the helper's own mount namespace.
    const via = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec "$@"', 'sh', source, mounted];
    const result = await updateOnceVia(mounted, via);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(source, 'utf8')).toBe(`[other]\nx = 1\n[default]\n${credentialLines('\n')}\n`);
    expect(statSync(source).mode & 0o777).toBe(0o640);
    expect(readdirSync(dirname(source))).toEqual(['credentials']); // no temporary file or lock left
  });

  it('writes in place a file with hard links, which a rename would split from its other names (QA: they kept the old content)', async () => {
    const path = credentialsPath();
    const other = `${path}-linked`;
    writeFileSync(path, '[other]\nx = 1\n', { mode: 0o600 });
    linkSync(path, other);
    const result = await updateOnce(path);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(other, 'utf8')).toBe(`[other]\nx = 1\n[default]\n${credentialLines('\n')}\n`);
    expect(statSync(other).ino).toBe(statSync(path).ino);
    expect(statSync(path).nlink).toBe(2);
  });

  it('a new copy whose fsync fails (EIO) is not put in the file\'s place, and the failure is said (review: fsync skipped only under the permission model)', async () => {
    const path = credentialsPath();
    const before = '[other]\nx = 1\n';
    writeFileSync(path, before, { mode: 0o600 });
    const via = straceFault('fsync', 'error=EIO', { when: 1 });
    const result = await updateOnceVia(path, via);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(result)).toBe(`unable to write the credentials file ${path}: EIO: i/o error, fsync`);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dirname(path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a file with hard links whose fsync fails (EIO) is left as it was, its other names too, and the failure said (review: fsync skipped only under the permission model)', async () => {
    const path = credentialsPath();
    const other = `${path}-linked`;
    const before = '[other]\nx = 1\n';
    writeFileSync(path, before, { mode: 0o600 });
    linkSync(path, other);
    const via = straceFault('fsync', 'error=EIO', { when: 1 });
    const result = await updateOnceVia(path, via);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(result)).toBe(`unable to write the credentials file ${path}: EIO: i/o error, fsync`);
    expect(readFileSync(other, 'utf8')).toBe(before);
    expect(statSync(path).nlink).toBe(2);
  });

  it("a new copy whose fchmod fails otherwise than a filesystem without modes does (EIO) is not put in the file's place (review)", async () => {
    const path = credentialsPath();
    const before = '[other]\nx = 1\n';
    writeFileSync(path, before, { mode: 0o640 });
    chmodSync(path, 0o640);
    const via = straceFault('fchmod', 'error=EIO', { when: 1 });
    const result = await updateOnceVia(path, via);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(result)).toBe(`unable to write the credentials file ${path}: EIO: i/o error, fchmod`);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dirname(path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writing in place a shorter content, killed before the file is cut to it, leaves a file readers parse: the content, then blank lines', async () => {
    const source = credentialsPath();
    const mounted = credentialsPath();
    const other = '[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = othersecret\n';
    const before = `[default]\naws_access_key_id = OLD\naws_secret_access_key = OLD\naws_session_token = ${'T'.repeat(2000)}\n\n${other}`;
    writeFileSync(source, before, { mode: 0o600 });
    writeFileSync(mounted, '');
    // strace kills the helper at its ftruncate(2), after the content is written over the old bytes.
    const kill = straceFault('ftruncate', 'signal=SIGKILL');
    const via = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec "$@"', 'sh', source, mounted, ...kill];
    const result = await updateOnceVia(mounted, via);
    expect(result.code).not.toBe(0);
    const after = readFileSync(source, 'utf8');
    expect(after).toHaveLength(before.length);
    expect(after.replace(/\n+$/, '\n')).toBe(`[default]\n${credentialLines('\n')}\n${other}`);
  });

  it("removes the temporary copies runs killed before their rename left (they hold the file's secrets) once a minute old, whatever their process ID", async () => {
    const path = credentialsPath();
    writeFileSync(path, '[other]\naws_access_key_id = AKIALONGTERM\naws_secret_access_key = longtermsecret\n', { mode: 0o600 });
    const kill = straceFault('rename', 'signal=SIGKILL');
    expect((await updateOnceVia(path, kill)).code).not.toBe(0);
    const temporaries = () => readdirSync(dirname(path)).filter((name) => name.endsWith('.tmp'));
    const [leftover] = temporaries();
    expect(temporaries()).toHaveLength(1);
    expect(readFileSync(join(dirname(path), leftover!), 'utf8')).toContain('longtermsecret');
    // One of a process ID alive now, as a restarted container's helper gets its killed run's.
    const reused = join(dirname(path), `.credentials.${process.pid}.killed.tmp`);
    writeFileSync(reused, 'longtermsecret', { mode: 0o600 });
    // Under a minute old, either may be a run's that is writing it (in milliseconds): kept.
    expect((await updateOnce(path)).code).toBe(0);
    expect(temporaries().sort()).toEqual([leftover!, `.credentials.${process.pid}.killed.tmp`].sort());
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    for (const name of temporaries()) utimesSync(join(dirname(path), name), twoMinutesAgo, twoMinutesAgo);
    expect((await updateOnce(path)).code).toBe(0);
    expect(temporaries()).toEqual([]);
  });

  it('a lock that cannot be let go of after the write (its stat failing) fails neither the written file nor the exit code, is warned of, and hides no earlier failure', async () => {
    for (const [from, written] of [[5, true], [4, false]] as const) {
      const path = credentialsPath();
      const before = '[other]\nregion = eu-west-1\n';
      writeFileSync(path, before, { mode: 0o640 });
      chmodSync(path, 0o640);
      // strace fails every stat of the lock folder from the `from`th on (EIO): after the rename (5), or from the check just before it (4).
      const trace = join(dirname(path), 'strace.out');
      const via = straceFault('statx', 'error=EIO', { when: `${from}+`, path: `${path}.lock`, output: trace });
      const result = await updateOnceVia(path, via);
      // Injected (the file written or not then says where: a count that no longer falls there fails below).
      expect(readFileSync(trace, 'utf8')).toContain('(INJECTED)');
      expect(statSync(path).mode & 0o777).toBe(0o640);
      // The lock left behind is said, as a warning (it holds the next update up for 10 s), where nothing was said of it.
      const lockLeft = `\\S+ \\S+ warning: unable to remove the lock of the credentials file ${path}: EIO: i/o error; another update waits for it until it is 10 s old\n`;
      if (written) {
        expect(result).toMatchObject({ code: 0, stdout: '' });
        expect(result.stderr).toMatch(new RegExp(`^${lockLeft}$`));
        expect(readFileSync(path, 'utf8')).toBe(`${before}[default]\n${credentialLines('\n')}\n`);
      } else {
        expect(result).toMatchObject({ code: 1, stdout: '' });
        expect(result.stderr).toMatch(new RegExp(`^${lockLeft}\\S+ \\S+ unable to write the credentials file \\S+: EIO: i/o error\n$`));
        expect(readFileSync(path, 'utf8')).toBe(before);
      }
      expect(readdirSync(dirname(path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    }
  });

  it('says an i/o error on a stat of its folder as the system says it, as no bug (internal error), and leaves the file as it was', async () => {
    const path = credentialsPath();
    const before = '[default]\naws_access_key_id = OLD\n';
    writeFileSync(path, before, { mode: 0o600 });
    // strace fails the second stat of the file's folder (EIO), in the checks before anything is written.
    const via = straceFault('statx', 'error=EIO', { when: 2, path: dirname(path) });
    const result = await updateOnceVia(path, via);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(result)).toBe(`EIO: i/o error, stat '${dirname(path)}'`);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dirname(path))).toEqual(['credentials']);
  });

  it('refuses a credentials file path that is not UTF-8 (Latin-1 systems) rather than write another file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-latin1-'));
    try {
      // The shell passes the byte 0xE9 (é in Latin-1) on as it is; Node reads it as U+FFFD.
      const via = ['sh', '-c', `mkdir "${folder}/caf$(printf '\\351')" && AWS_SHARED_CREDENTIALS_FILE="${folder}/caf$(printf '\\351')/credentials" exec "$@"`, 'sh'];
      const result = await runCli(['update', '--once', ...flags()], { env: { LC_ALL: 'C', AWS_MAX_ATTEMPTS: '1' }, via });
      expectFailure(result, `unable to use the credentials file ${folder}/caf\uFFFD/credentials: its path holds bytes that are not UTF-8 (shown as \uFFFD), which Node.js cannot name`);
      // Only the folder made above, still empty: no `caf\uFFFD` folder beside it.
      const [made, ...others] = readdirSync(folder, { encoding: 'buffer' });
      expect([made!.toString('hex'), others]).toEqual([Buffer.from('caf\xe9', 'latin1').toString('hex'), []]);
      expect(readdirSync(Buffer.concat([Buffer.from(`${folder}/`), made!]))).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('leaves a file it writes in place untouched when the disk is full (item 16)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-full-'));
    const mounted = credentialsPath();
    writeFileSync(mounted, '');
    // Twelve pages of a 16-page tmpfs, whose other pages a filler takes: the three keys need a thirteenth.
    const profiles = '[default]\naws_access_key_id = OLD\nregion = eu-west-1\n\n[other]\nx = 1\n';
    const before = `#${'x'.repeat(4096 * 12 - 12 - profiles.length)}\n${profiles}`;
    const source = join(folder, 'before');
    writeFileSync(source, before);
    // In the helper's own mount namespace: the tmpfs, the file on it, the filler, the bind mount; afterwards
    // the file's bytes are copied out, for the test to compare.
    const script = [
      'dir="$1/tmpfs" mounted="$2" source="$3"; shift 3',
      'mkdir "$dir" && mount -t tmpfs -o size=64k tmpfs "$dir" && cp "$source" "$dir/credentials" || exit 99',
      'dd if=/dev/zero of="$dir/filler" bs=1k count=200 2>/dev/null; mount --bind "$dir/credentials" "$mounted" || exit 99',
      '"$@"; status=$?; cp "$dir/credentials" "$source.after"; exit $status',
    ].join('\n');
    const via = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', folder, mounted, source];
    try {
      const result = await updateOnceVia(mounted, via);
      expectFailure(result, `unable to write the credentials file ${mounted}: no space left on device`);
      expect(readFileSync(`${source}.after`, 'utf8')).toBe(before);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  /**
   * update --once as another user (root may write anywhere), with copies of the key files it can read and
   * a credentials file in a folder of its own, both set up by `arrange` (the folder path, the file path).
   */
  const updateAsNobody = async (arrange: (folder: string, path: string) => string | void) => {
    const home = mkdtempSync(join(tmpdir(), 'rah-nobody-'));
    try {
      chmodSync(home, 0o755);
      const [certificate, key] = leafFilesOf(65534, leaf, home);
      const folder = join(home, 'aws');
      const path = join(folder, 'credentials');
      mkdirSync(folder);
      writeFileSync(path, '[default]\naws_access_key_id = KEEP\n');
      for (const owned of [folder, path]) chownSync(owned, 65534, 65534);
      const written = arrange(folder, path) ?? path;
      const result = await runCli(['update', '--once', '--certificate', certificate, '--private-key', key, ...flags().slice(4)], {
        env: { AWS_SHARED_CREDENTIALS_FILE: written, AWS_MAX_ATTEMPTS: '1', HOME: home, ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off' },
        via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      });
      return { result, folder, path, after: readFileSync(path, 'utf8') };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  };

  it.runIf(process.getuid?.() === 0)("says why its lock cannot be made (no inode left), in words, and leaves the file as it was (QA: Node's `ENOSPC: …, mkdir '…'`)", async () => {
    const folder = scenario.workspace.path(`no-inodes-${++counter}`);
    mkdirSync(folder);
    // Two inodes: the folder and the file; the lock's folder gets none.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,nr_inodes=2', 'tmpfs', folder]);
    try {
      const path = join(folder, 'credentials');
      writeFileSync(path, '[other]\nx = 1\n', { mode: 0o600 });
      const result = await updateOnce(path);
      expectFailure(result, `unable to lock the credentials file ${path}: no space left on device`);
      expect(readFileSync(path, 'utf8')).toBe('[other]\nx = 1\n');
    } finally {
      execFileSync('umount', [folder]);
    }
  });

  it.runIf(process.getuid?.() === 0)('says that a file on a read-only mount is on a read-only file system, not that this user may not write it, and leaves it as it was (QA: chaos)', async () => {
    const folder = scenario.workspace.path(`read-only-${++counter}`);
    mkdirSync(folder);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', folder]);
    try {
      const path = join(folder, 'credentials');
      writeFileSync(path, '[other]\nx = 1\n', { mode: 0o600 });
      execFileSync('mount', ['-o', 'remount,ro', folder]);
      const result = await updateOnce(path);
      expectFailure(result, `unable to write the credentials file ${path}: it is on a read-only file system`);
      expect(readFileSync(path, 'utf8')).toBe('[other]\nx = 1\n');
    } finally {
      execFileSync('umount', [folder]);
    }
  });

  it('writes a file whose name is as long as a name may be (255 bytes): its temporary copy takes a shorter one (QA: refused as too long)', async () => {
    const folder = scenario.workspace.path(`long-name-${++counter}`);
    mkdirSync(folder);
    for (const name of ['c'.repeat(255), `${'é'.repeat(120)}c`]) {
      const path = join(folder, name);
      const result = await updateOnce(path);
      expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(readFileSync(path, 'utf8')).toBe(`[default]\n${credentialLines('\n')}\n`);
    }
    expect(readdirSync(folder)).toHaveLength(2);
  });

  it('refuses at once a path that /proc leads to what has no path, as /dev/stdout is when piped (QA: taken for a file to create, then a lock "another process" held for 20 s)', async () => {
    // Node's pipes to a child are sockets (a shell's `|`, a FIFO: said as "a FIFO").
    const result = await runCli(['update', '--once', ...flags()], { env: { AWS_SHARED_CREDENTIALS_FILE: '/dev/stdout', AWS_MAX_ATTEMPTS: '1' } });
    expectFailure(result, 'unable to write the credentials file /dev/stdout: not a regular file (a socket)');
  });

  it('fails at once, naming it, when the folder cannot be written to although the file can (item 16)', async () => {
    const { result, folder, path, after } = await updateAsNobody((folder) => chmodSync(folder, 0o555));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.ms).toBeLessThan(5000);
    expect(errorLine(result)).toBe(
      `unable to write the credentials file ${path}: the folder ${folder} is not writable (the file is replaced through a new one beside it)`,
    );
    expect(after).toBe('[default]\naws_access_key_id = KEEP\n');
  });

  it('refuses at once, before any CreateSession, a missing folder it could not make (QA: after one, and again at every retry)', async () => {
    const before = scenario.emulator.issued.length;
    let missing = '';
    const { result, folder } = await updateAsNobody((folder) => {
      mkdirSync(join(folder, 'root-only'), { mode: 0o755 }); // root's, as the test runs
      missing = join(folder, 'root-only', 'new', 'credentials');
      return missing;
    });
    expectFailure(result, `unable to create the folder of the credentials file ${missing}: ${join(folder, 'root-only', 'new')}: permission denied`);
    expect(result.ms).toBeLessThan(5000);
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it("names the folder this user may not enter, with its mode and owner, where a file in it is refused (QA: only \"permission denied\", HOME=/root)", async () => {
    const before = scenario.emulator.issued.length;
    let closed = '';
    let path = '';
    const { result } = await updateAsNobody((folder) => {
      closed = join(folder, 'root-only');
      mkdirSync(closed, { mode: 0o700 }); // root's, as the test runs
      path = join(closed, 'credentials');
      return path;
    });
    expectFailure(result, `unable to write the credentials file ${path}: permission denied (this user may not enter ${closed}: mode 0700, owner 0)`);
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it("a home folder this user may not reach is said as such, not as one that does not exist (review: HOME below root's 0700 folder was 'does not exist (make it…)')", async () => {
    const before = scenario.emulator.issued.length;
    const { base, closed, home, certificate, key } = unreachableHome(leaf);
    try {
      const result = await runCli(['update', '--once', '--certificate', certificate, '--private-key', key, ...flags().slice(4)], {
        env: { AWS_MAX_ATTEMPTS: '1', HOME: home, ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off' },
        via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      });
      expectFailure(result, `unable to write the credentials file ${home}/.aws/credentials: permission denied (this user may not enter ${closed}: mode 0700, owner 0)`);
      expect(readdirSync(home)).toEqual([]);
      expect(scenario.emulator.issued.length).toBe(before);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('writes, and says so, in a folder it may write to but not read (QA: the file was replaced, then reported unchanged)', async () => {
    const { result, after } = await updateAsNobody((folder, path) => {
      chmodSync(path, 0o600);
      chmodSync(folder, 0o300);
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(after).toMatch(/^\[default\]\naws_access_key_id = ASIA\w+\naws_secret_access_key = \S+\naws_session_token = \S+\n/);
  });

  it('refuses a file this user may not write, rather than replacing it with one of its own (item 18)', async () => {
    const { result, path, after } = await updateAsNobody((_, path) => {
      chownSync(path, 0, 0);
      chmodSync(path, 0o644);
    });
    expectFailure(result, `unable to write the credentials file ${path}: this user may not write it (mode 0644, owner 0)`);
    expect(after).toBe('[default]\naws_access_key_id = KEEP\n');
  });

  it('keeps bytes that are not UTF-8 in other sections byte for byte, and finds non-ASCII profile names again (item 17)', async () => {
    const path = credentialsPath();
    const other = Buffer.concat([Buffer.from('[other]\nname = caf'), Buffer.from([0xe9, 0xff, 0x00, 0xa0]), Buffer.from('\n\n')]);
    writeFileSync(path, Buffer.concat([other, Buffer.from('[default]\naws_access_key_id = OLD\n')]));
    expect((await updateOnce(path)).code).toBe(0);
    const written = readFileSync(path);
    expect(written.subarray(0, other.length).equals(other)).toBe(true);
    expect(written.subarray(other.length).toString('utf8')).toBe(`[default]\n${credentialLines('\n')}`);
    for (const profile of ['prödüction', 'voilà']) {
      expect((await updateOnce(path, ['--profile', profile])).code).toBe(0);
      expect((await updateOnce(path, ['--profile', profile])).code).toBe(0);
      expect(readFileSync(path).toString('utf8').split(`[${profile}]`)).toHaveLength(2);
    }
    expect(readFileSync(path).subarray(0, other.length).equals(other)).toBe(true);
  });

  it('refuses a read-only file, saying so, before any CreateSession, and leaves it as it was (item 18)', async () => {
    const path = credentialsPath();
    writeFileSync(path, '[default]\naws_access_key_id = KEEP\n');
    chmodSync(path, 0o400);
    const before = scenario.emulator.issued.length;
    const result = await updateOnce(path);
    // QA: a session was issued and thrown away first, and without --once at every retry.
    expect(scenario.emulator.issued.length).toBe(before);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe(`unable to write the credentials file ${path}: it is read-only (mode 0400)`);
    expect(readFileSync(path, 'utf8')).toBe('[default]\naws_access_key_id = KEEP\n');
    expect(statSync(path).mode & 0o777).toBe(0o400);
  });

  it('writes through a dangling symbolic link to the file it names (item 18)', async () => {
    const target = credentialsPath();
    const link = scenario.workspace.path(`dangling-${counter}`);
    symlinkSync(target, link);
    expect((await updateOnce(link)).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(`[default]\n${credentialLines('\n')}\n`);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });
});

describe('update where the path cannot name a file, or a lock was left', () => {
  it('refuses, at once and before any CreateSession, a path under a regular file, a name too long, links in a loop, one ending in / (--once and the loop)', async () => {
    const file = scenario.workspace.write(`a-file-${++counter}`, '');
    const loop = scenario.workspace.path(`loop-${counter}`);
    symlinkSync(loop, loop);
    const cases = [
      [join(file, 'credentials'), `${file} is a regular file, not a folder`],
      [scenario.workspace.path('x'.repeat(300)), 'the name is too long'],
      [join(scenario.workspace.path('x'.repeat(300)), 'credentials'), 'the name is too long'],
      [loop, 'its symbolic links make a loop (or pass through more than 40)'],
      // QA: it was taken for a file in the folder's parent, and failed later, blaming the lock.
      [`${scenario.workspace.path(`new-folder-${counter}`)}/`, 'the path ends in "/", so it names a folder, not a file'],
    ];
    const before = scenario.emulator.issued.length;
    for (const [path, reason] of cases) {
      for (const once of [['--once'], []]) {
        const result = await runCli(['update', ...once, ...flags()], { env: { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 10_000 });
        expect(result).toMatchObject({ code: 1, stdout: '' });
        expect(errorLine(result)).toBe(`unable to write the credentials file ${path}: ${reason}`);
      }
    }
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it('removes a stray file, or a folder with something in it, at the lock\'s name once older than the lock\'s stale bound', async () => {
    const path = credentialsPath();
    const minuteAgo = new Date(Date.now() - 60_000);
    writeFileSync(`${path}.lock`, 'stray');
    utimesSync(`${path}.lock`, minuteAgo, minuteAgo);
    expect(await updateOnce(path)).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(`${path}.lock`)).toBe(false);
    mkdirSync(`${path}.lock`);
    writeFileSync(`${path}.lock/leftover`, '');
    utimesSync(`${path}.lock`, minuteAgo, minuteAgo);
    expect(await updateOnce(path)).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(`[default]\n${credentialLines('\n')}\n`);
  });

  it('says once that it waits for the lock a killed run left, then takes it over (QA: up to 10 s without a word)', async () => {
    const path = credentialsPath();
    // Found fresh, then left to go stale as a killed run's lock does: the test ages it once the run said it waits
    // (stamped 9 s ago before the run started, a run that took over a second to start on a loaded machine found
    // it stale already, took it over without a word, and failed this test).
    mkdirSync(`${path}.lock`, { mode: 0o700 });
    const update = startCommand(['update', '--once', ...flags()], { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' });
    await update.waitFor(/waiting for another update to finish with /);
    const stamped = new Date(Date.now() - 11_000);
    utimesSync(`${path}.lock`, stamped, stamped);
    expect(await update.exited()).toBe(0);
    expect(update.stdout()).toBe('');
    expect(update.stderr()).toMatch(
      new RegExp(`^\\S+ \\S+ waiting for another update to finish with ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(a lock left by one that died is taken over after 10 s\\)\n$`),
    );
    expect(readFileSync(path, 'utf8')).toBe(`[default]\n${credentialLines('\n')}\n`);
  });

  it('refuses, touching neither, a file that leads elsewhere once the lock is held than when the run began (its own link, put in its place meanwhile)', async () => {
    const path = credentialsPath();
    writeFileSync(path, '[other]\nx = 1\n', { mode: 0o600 });
    const elsewhere = scenario.workspace.write(`elsewhere-${++counter}`, '[kept]\ny = 2\n', 0o600);
    mkdirSync(`${path}.lock`, { mode: 0o700 });
    const update = startCommand(['update', '--once', ...flags()], { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' });
    await update.waitFor(/waiting for another update to finish with /);
    renameSync(path, `${path}-kept`);
    symlinkSync(elsewhere, path);
    rmSync(`${path}.lock`, { recursive: true });
    expect(await update.exited()).toBe(1);
    expect(update.stdout()).toBe('');
    expect(logLines(update.stderr())).toEqual([
      `waiting for another update to finish with ${path} (a lock left by one that died is taken over after 10 s)`,
      `unable to write the credentials file ${path}: it now leads to another file than it did when this run began`,
    ]);
    expect(readFileSync(elsewhere, 'utf8')).toBe('[kept]\ny = 2\n');
    expect(readFileSync(`${path}-kept`, 'utf8')).toBe('[other]\nx = 1\n');
  });
});

describe("update and other users' symbolic links, and files every user reads", () => {
  it.runIf(process.getuid?.() === 0)("refuses another user's symbolic link, alone or further along a chain, before any CreateSession (QA)", async () => {
    const shared = scenario.workspace.path(`sticky-${++counter}`);
    mkdirSync(shared);
    chmodSync(shared, 0o1777); // a /tmp
    const target = scenario.workspace.write(`roots-${counter}`, '[other]\nx = 1\n', 0o644);
    const planted = join(shared, 'credentials');
    symlinkSync(target, planted);
    lchownSync(planted, 65534, 65534);
    const ours = scenario.workspace.path(`ours-${counter}`);
    symlinkSync(planted, ours);
    const before = scenario.emulator.issued.length;
    for (const [path, which] of [[planted, 'it is'], [ours, `${planted} is`]]) {
      const result = await updateOnce(path!);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(result)).toBe(`unable to write the credentials file ${path}: ${which} another user's symbolic link, which could lead the credentials into a file others read`);
    }
    expect(scenario.emulator.issued.length).toBe(before);
    expect(readFileSync(target, 'utf8')).toBe('[other]\nx = 1\n');
  });

  it.runIf(process.getuid?.() === 0)("refuses another user's symbolic link to a folder on the way, before any CreateSession", async () => {
    const rootOnly = scenario.workspace.path(`root-only-${++counter}`);
    mkdirSync(rootOnly, { mode: 0o700 });
    const userHome = scenario.workspace.path(`home-${counter}`);
    mkdirSync(userHome);
    const dotAws = join(userHome, '.aws');
    symlinkSync(rootOnly, dotAws);
    lchownSync(dotAws, 65534, 65534);
    const before = scenario.emulator.issued.length;
    const path = join(dotAws, 'credentials');
    const result = await updateOnce(path);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(result)).toBe(`unable to write the credentials file ${path}: ${dotAws} is another user's symbolic link, which could lead the credentials into a file others read`);
    expect(scenario.emulator.issued.length).toBe(before);
    expect(readdirSync(rootOnly)).toEqual([]);
  });

  it('writes in a folder everyone may write without the sticky bit, saying that another user could replace the file (security QA: said nothing)', async () => {
    const open = scenario.workspace.path(`open-${++counter}`);
    mkdirSync(open);
    chmodSync(open, 0o777);
    for (const path of [join(open, 'credentials'), join(open, 'new', 'credentials')]) {
      const result = await updateOnce(path);
      expect(result).toMatchObject({ code: 0, stdout: '' });
      expect(logLines(result.stderr)).toEqual([
        `warning: the credentials file ${path} is inside ${open}, which everyone may write: another user could replace it with a file of their own, whose credentials SDKs would then use`,
      ]);
      expect(readFileSync(path, 'utf8')).toContain('aws_session_token = ');
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
  });

  it.runIf(process.getuid?.() === 0)(
    "refuses a file of its own with other names (hard links) in a folder another user may write, which they could have linked to any file of its, before any CreateSession (hostile-user QA: root's update with a user's HOME wrote the credentials into a root file elsewhere)",
    async () => {
      const theirs = scenario.workspace.path(`theirs-linked-${++counter}`);
      mkdirSync(theirs, { mode: 0o700 });
      chownSync(theirs, 65534, 65534);
      const sticky = scenario.workspace.path(`sticky-linked-${counter}`);
      mkdirSync(sticky);
      chmodSync(sticky, 0o1777);
      // Everyone but its group (mutout: a test of the group's write bit passed).
      const othersOnly = scenario.workspace.path(`others-linked-${counter}`);
      mkdirSync(othersOnly);
      chmodSync(othersOnly, 0o1707);
      for (const [folder, why] of [
        [theirs, `${theirs}, another user's folder (uid 65534)`],
        [sticky, `${sticky}, which everyone may write`],
        [othersOnly, `${othersOnly}, which everyone may write`],
      ] as const) {
        // What a user can do where hard links to others' files are allowed (fs.protected_hardlinks=0): link a file of root's into their folder.
        const precious = scenario.workspace.path(`precious-${++counter}`);
        writeFileSync(precious, 'root:secret\n', { mode: 0o600 });
        const planted = join(folder, 'credentials');
        linkSync(precious, planted);
        const issued = scenario.emulator.issued.length;
        const result = await updateOnce(planted);
        expect(result).toMatchObject({ code: 1, stdout: '' });
        expect(errorLine(result)).toBe(
          `unable to write the credentials file ${planted}: it has 2 names (hard links) and is in ${why}: they could have linked a file of this user's there, which the write would change`,
        );
        expect(readFileSync(precious, 'utf8')).toBe('root:secret\n');
        expect(scenario.emulator.issued.length).toBe(issued); // refused before asking for credentials
      }
      // Their own file with other names, in their folder, is theirs to link: written in place, for them.
      const file = join(theirs, 'their-credentials');
      writeFileSync(file, '', { mode: 0o600 });
      linkSync(file, join(theirs, 'their-link'));
      chownSync(file, 65534, 65534);
      expect(await updateOnce(file)).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(readFileSync(join(theirs, 'their-link'), 'utf8')).toContain('aws_session_token = ');
    },
  );

  it.runIf(process.getuid?.() === 0)("refuses another user's file in a folder everyone may write in one line, before any CreateSession (QA: a warning that it could be swapped came first)", async () => {
    const open = scenario.workspace.path(`open-${++counter}`);
    mkdirSync(open);
    chmodSync(open, 0o777);
    const planted = join(open, 'credentials');
    writeFileSync(planted, '', { mode: 0o666 });
    chownSync(planted, 65534, 65534);
    const issued = scenario.emulator.issued.length;
    const result = await updateOnce(planted);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(logLines(result.stderr)).toEqual([`unable to write the credentials file ${planted}: it is another user's (uid 65534), who could read the credentials or change the profiles`]);
    expect(scenario.emulator.issued.length).toBe(issued);
    expect(readFileSync(planted, 'utf8')).toBe('');
  });

  it.runIf(process.getuid?.() === 0)("refuses another user's file outside that user's own folder (made first in /tmp), and writes one in it, keeping its owner", async () => {
    const shared = scenario.workspace.path(`sticky-${++counter}`);
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const planted = join(shared, 'credentials');
    writeFileSync(planted, '', { mode: 0o600 });
    chownSync(planted, 65534, 65534);
    const result = await updateOnce(planted);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(result)).toBe(`unable to write the credentials file ${planted}: it is another user's (uid 65534), who could read the credentials or change the profiles`);
    expect(readFileSync(planted, 'utf8')).toBe('');
    // In the user's own folder, root writes it for them, and it stays theirs.
    const theirs = scenario.workspace.path(`theirs-${counter}`);
    mkdirSync(theirs, { mode: 0o700 });
    const file = join(theirs, 'credentials');
    writeFileSync(file, '', { mode: 0o600 });
    for (const owned of [theirs, file]) chownSync(owned, 65534, 65534);
    expect(await updateOnce(file)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(statSync(file).uid).toBe(65534);
    expect(readFileSync(file, 'utf8')).toContain('aws_session_token = ');
    // A new file there is theirs too (QA: root's, which they could not read); a folder is not made in theirs.
    const created = join(theirs, 'credentials-new');
    expect((await updateOnce(created)).code).toBe(0);
    expect(statSync(created)).toMatchObject({ uid: 65534, gid: 65534 });
    const missing = join(theirs, '.aws', 'credentials');
    const issued = scenario.emulator.issued.length;
    const refused = await updateOnce(missing);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(scenario.emulator.issued.length).toBe(issued); // refused before asking for credentials
    expect(errorLine(refused)).toBe(
      `unable to create the folder of the credentials file ${missing}: ${join(theirs, '.aws')}: it would be made in ${theirs}, another user's folder (uid 65534)`,
    );
    expect(existsSync(join(theirs, '.aws'))).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)(
    "refuses another user's symbolic link put in the file's place, or its folder's, while it waited for a lock that user held (QA: root's update was led into a root-only file and copied it to them)",
    async () => {
      for (const swapped of ['file', 'folder'] as const) {
        const rootOnly = scenario.workspace.path(`root-only-${++counter}`);
        mkdirSync(rootOnly, { mode: 0o700 });
        const secret = join(rootOnly, 'credentials');
        writeFileSync(secret, 'ROOT ONLY\n', { mode: 0o644 });
        const home = scenario.workspace.path(`home-${counter}`);
        const folder = join(home, '.aws');
        const path = join(folder, 'credentials');
        mkdirSync(folder, { recursive: true });
        writeFileSync(path, '[other]\nx = 1\n', { mode: 0o600 });
        const lock = `${path}.lock`;
        mkdirSync(lock);
        for (const owned of [home, folder, path, lock]) chownSync(owned, 65534, 65534);
        const update = startCommand(['update', '--once', ...flags()], { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' });
        await update.waitFor(/waiting for another user's update \(uid 65534\) to finish with /);
        // What that user may do in their folder: the file, or the folder, swapped for a link into root's, and the lock let go.
        const [replaced, by] = swapped === 'file' ? [path, secret] : [folder, rootOnly];
        // The link made first, and renamed into place: a file is replaced at once, a folder (moved aside first) nearly so.
        symlinkSync(by, `${replaced}-link`);
        lchownSync(`${replaced}-link`, 65534, 65534);
        if (swapped === 'folder') renameSync(replaced, `${replaced}-kept`);
        renameSync(`${replaced}-link`, replaced);
        rmSync(swapped === 'file' ? lock : join(`${folder}-kept`, 'credentials.lock'), { recursive: true });
        expect(await update.exited()).toBe(1);
        expect(update.stdout()).toBe('');
        const lines = logLines(update.stderr());
        expect(lines).toEqual([
          `waiting for another user's update (uid 65534) to finish with ${path} (another user's lock is never taken over: given up on after 20 s)`,
          `unable to write the credentials file ${path}: ${swapped === 'file' ? 'it is' : `${folder} is`} another user's symbolic link, which could lead the credentials into a file others read`,
        ]);
        expect(readFileSync(secret, 'utf8')).toBe('ROOT ONLY\n');
        expect(readdirSync(rootOnly)).toEqual(['credentials']);
      }
    },
  );

  it('writes a file every user may read, keeping its mode, and warns once (QA)', async () => {
    const path = credentialsPath();
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    const result = await updateOnce(path);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(
      new RegExp(`^\\S+ \\S+ warning: the credentials file ${path} is readable by every user \\(mode 0644\\), who can then use the credentials: chmod o-r it \\(on a filesystem that keeps no file modes, FAT or exFAT, keep it on another\\)\n$`),
    );
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('names a credentials file whose path holds a line break on one line, forging none (QA)', async () => {
    const folder = scenario.workspace.path(`case-${++counter}\n2026/12/06 00:00:00 forged`);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, 'credentials');
    writeFileSync(path, '[other]\naws_access_key_id = KEPT\n');
    chmodSync(path, 0o644);
    const result = await updateOnce(path);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(logLines(result.stderr)).toEqual([
      `warning: the credentials file ${path.replace('\n', ' ')} is readable by every user (mode 0644), who can then use the credentials: chmod o-r it (on a filesystem that keeps no file modes, FAT or exFAT, keep it on another)`,
    ]);
    expect(readFileSync(path, 'utf8')).toMatch(/^\[other\]\naws_access_key_id = KEPT\n\[default\]\n/);
  });
});

describe('update, looping', () => {
  let shortLived: RunningEmulator;
  beforeAll(async () => {
    shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 4 });
  });

  it('refreshes before expiry, keeps the file untouched while refreshing fails, and stops on SIGHUP (SIGTERM: below)', async () => {
    const path = credentialsPath();
    const running = startCommand(['update', ...flags(shortLived.url)], { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' });
    try {
      await running.waitFor(/Credentials will be refreshed at /);
      // SIGUSR1 would open Node's inspector, unauthenticated, to every local user: ignored (QA).
      running.child.kill('SIGUSR1');
      const first = readFileSync(path, 'utf8');
      await running.waitFor(/Credentials will be refreshed at [^\n]*\n[^]*Credentials will be refreshed at /, 10_000);
      const second = readFileSync(path, 'utf8');
      expect(second).not.toBe(first);
      expect(second).toContain(shortLived.issued.at(-1)!.accessKeyId);

      shortLived.revoke(leaf.certificate.serialNumberHex);
      await running.waitFor(/has been revoked; the credentials file is unchanged \(retrying in \d+ s\)/, 10_000);
      const during = readFileSync(path, 'utf8');
      expect(running.child.exitCode).toBeNull();
      expect(during).toContain(shortLived.issued.at(-1)!.accessKeyId);
      expect(await running.stop('SIGHUP')).toBe(0);
      expect(readFileSync(path, 'utf8')).toBe(during);
      expect(running.stderr()).not.toMatch(/Debugger listening/);
    } finally {
      await running.stop();
    }
  });

  it("exits 1 when the first credentials cannot be had, as serve does (and the reference's update), where a supervisor sees it (QA: it ran on, logging)", async () => {
    const path = credentialsPath();
    const before = '[other]\naws_access_key_id = KEEP\n';
    writeFileSync(path, before, { mode: 0o600 });
    const denied = ['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', ARNS.profileArn];
    const result = await runCli(['update', ...denied, '--role-arn', 'arn:aws:iam::123456789012:role/not-in-the-profile', '--endpoint', scenario.emulator.url], {
      env: { AWS_SHARED_CREDENTIALS_FILE: path, AWS_MAX_ATTEMPTS: '1' },
      timeoutMs: 20_000,
    });
    expectFailure(result, /^operation error RolesAnywhere: CreateSession, http response error StatusCode: 403, RequestID: \S+, AccessDeniedException: /);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  /** Stops `running` with `signal`: exit 0 within 3 s, nothing logged, no credentials file written at `path`. */
  const expectStoppedAtOnce = async (running: ReturnType<typeof startCommand>, signal: NodeJS.Signals, path: string, stderr = '') => {
    const stopping = Date.now();
    expect(await running.stop(signal)).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(3000);
    expect(running.stderr()).toMatch(stderr ? new RegExp(`^\\S+ \\S+ ${stderr}\n$`) : /^$/);
    expect(existsSync(path)).toBe(false);
  };

  it('stops at once on SIGTERM while a CreateSession hangs, writing nothing after it (as the reference stops)', async () => {
    const path = credentialsPath();
    const endpoint = await hanging();
    const running = startCommand(['update', ...flags(endpoint.url)], { AWS_SHARED_CREDENTIALS_FILE: path });
    try {
      expect(await firstHit(endpoint)).toBe(1);
      await expectStoppedAtOnce(running, 'SIGTERM', path);
    } finally {
      await running.stop('SIGKILL');
      await endpoint.close();
    }
  });

  it('--once dies of SIGTERM while a CreateSession hangs, as the reference does: it catches no signal, having no loop to stop (mutation testing)', async () => {
    const path = credentialsPath();
    const endpoint = await hanging();
    const running = startCommand(['update', '--once', ...flags(endpoint.url)], { AWS_SHARED_CREDENTIALS_FILE: path });
    try {
      expect(await firstHit(endpoint)).toBe(1);
      expect(await running.stop('SIGTERM')).toBeNull();
      expect(running.child.signalCode).toBe('SIGTERM');
      expect(existsSync(path)).toBe(false);
    } finally {
      await running.stop('SIGKILL');
      await endpoint.close();
    }
  });

  it('stops at once on SIGINT while it waits for the lock another run holds, writing nothing', async () => {
    const path = credentialsPath();
    // Another run's lock, kept fresh (a lock untouched for 10 s is taken for stale).
    mkdirSync(`${path}.lock`);
    const fresh = setInterval(() => utimesSync(`${path}.lock`, new Date(), new Date()), 1000);
    const before = scenario.emulator.issued.length;
    const running = startCommand(['update', ...flags()], { AWS_SHARED_CREDENTIALS_FILE: path });
    try {
      for (let waited = 0; scenario.emulator.issued.length === before && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await expectStoppedAtOnce(running, 'SIGINT', path, 'waiting for another update to finish with .+');
    } finally {
      clearInterval(fresh);
      await running.stop('SIGKILL');
    }
  });

  it('on a FIFO, says why it cannot write and still stops on SIGTERM (issue 13, item 7)', async () => {
    const fifo = credentialsPath();
    execFileSync('mkfifo', [fifo]);
    // One there at the start is refused at once, before any CreateSession.
    const refused = await runCli(['update', ...flags()], { env: { AWS_SHARED_CREDENTIALS_FILE: fifo, AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 10_000 });
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(errorLine(refused)).toBe(`unable to write the credentials file ${fifo}: not a regular file (a FIFO)`);
    // One that replaces the file later is met at a refresh (of credentials from an emulator that revoked nothing).
    rmSync(fifo);
    const fourSeconds = await scenario.otherEmulator({ credentialLifetimeSeconds: 4 });
    const running = startCommand(['update', ...flags(fourSeconds.url)], { AWS_SHARED_CREDENTIALS_FILE: fifo, AWS_MAX_ATTEMPTS: '1' });
    try {
      await running.waitFor(/Credentials will be refreshed at /);
      rmSync(fifo);
      execFileSync('mkfifo', [fifo]);
      await running.waitFor(/unable to write the credentials file .*: not a regular file \(a FIFO\); the credentials file is unchanged \(retrying in \d+ s\)/, 10_000);
      const stopping = Date.now();
      expect(await running.stop('SIGTERM')).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(3000);
    } finally {
      running.child.kill('SIGKILL');
    }
  });
});
