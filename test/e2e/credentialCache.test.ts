import { fromProcess } from '@aws-sdk/credential-providers';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withEnv } from '../support/awsClients.js';
import { cliCommandLine, cliPath, errorLine, projectRoot, runCli, type CliResult } from '../support/cli.js';
import { answering, hanging, relaying } from '../support/fakeEndpoints.js';
import { ARNS, Scenario, leafFilesOf, openssl, unreachableHome, type LeafFiles } from '../support/scenario.js';
import { SoftHsm, USER_PIN, softHsmModule } from '../support/softhsm.js';
import { removeShortcuts, settle, shortcutsIn } from '../support/shortcuts.js';
import { straceFault } from '../support/strace.js';
import { Swtpm, certifyTpmKey } from '../support/swtpm.js';

let scenario: Scenario;
let leaf: LeafFiles;
/** The leaf's key as encrypted PKCS#8, password `secret`. */
let encrypted: string;
const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('cached');
  encrypted = scenario.workspace.write('cached-encrypted.pem', openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', 'aes-256-cbc', '-passout', 'pass:secret']));
});
afterAll(async () => scenario.stop());

/** A cache folder of its own for each test, as the CLI reads it from ROLES_ANYWHERE_HELPER_CACHE_DIR. */
function cacheFolder(): string {
  return mkdtempSync(join(tmpdir(), 'rah-credential-cache-'));
}

function cached(folder: string, args: readonly string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  const keyArgs = args.includes('--certificate') ? [] : ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];
  return runCli(['credential-process', '--cache', ...keyArgs, ...scenario.sessionFlags(), ...args], {
    env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder, ...env },
  });
}

/** The entries of a cache folder (its files, not the lock folders). */
function entries(folder: string): string[] {
  const credentials = join(folder, 'credentials');
  return existsSync(credentials) ? readdirSync(credentials).filter((name) => name.endsWith('.json')) : [];
}

/** Gives a folder's one entry another expiry (as if time had passed): its path, and the access key ID it holds. */
function setExpiration(folder: string, expiration: string): { path: string; accessKeyId: string } {
  const path = join(folder, 'credentials', entries(folder)[0]!);
  const stored = JSON.parse(readFileSync(path, 'utf8'));
  stored.credentials.Expiration = expiration;
  writeFileSync(path, JSON.stringify(stored));
  return { path, accessKeyId: stored.credentials.AccessKeyId };
}

/** The time `minutes` from now (before it when negative), as an entry's Expiration. */
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** Checks that a run printed exactly one set of credentials the emulator issued, and nothing on stderr. */
function expectIssued(result: CliResult, stderr = '') {
  expect(result.code).toBe(0);
  expect(result.stderr).toBe(stderr);
  const output = JSON.parse(result.stdout);
  expect(scenario.emulator.issued.some((issued) => issued.accessKeyId === output.AccessKeyId)).toBe(true);
  return output as { AccessKeyId: string; Expiration: string };
}

describe('credential-process --cache', () => {
  it('hands out no credentials once the certificate they were had with has expired, through the shortcut or the full check: refused as without the cache', async () => {
    const folder = cacheFolder();
    const notAfter = new Date(Date.now() + 5000);
    const shortLived = await scenario.leaf('cached-short-lived', { notAfter });
    const args = ['--certificate', shortLived.certPath, '--private-key', shortLived.keyPath];
    const first = expectIssued(await cached(folder, args));
    // A hit by the full check, which leaves the shortcut, then one through it.
    for (let i = 0; i < 2; i++) expect(expectIssued(await cached(folder, args)).AccessKeyId).toBe(first.AccessKeyId);
    await new Promise((resolve) => setTimeout(resolve, notAfter.getTime() + 1500 - Date.now()));
    const before = scenario.emulator.issued.length;
    for (let i = 0; i < 2; i++) {
      const refused = await cached(folder, args);
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(refused)).toMatch(new RegExp(`^certificate ${shortLived.certPath} expired at `));
    }
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it("gives on each run, a hit's too, the warnings the command line calls for: an octal value, stray arguments (QA: only the first run gave them)", async () => {
    const folder = cacheFolder();
    const before = scenario.emulator.issued.length;
    const warnings =
      /^\S+ \S+ warning: --session-duration 07020 is read as octal, as Go reads a leading 0: 3600\n\S+ \S+ warning: ignoring what is not a flag: "my session" \(a value holding spaces must be quoted\)\n$/;
    for (let i = 0; i < 3; i++) {
      const result = await cached(folder, ['--session-duration', '07020', 'my session']);
      expectIssued(result, result.stderr);
      expect(result.stderr).toMatch(warnings);
    }
    expect(scenario.emulator.issued.length).toBe(before + 1);
    // The same command line without what it warns about is answered by the hit bundle, and leaves its shortcut.
    await settle();
    for (let i = 0; i < 3; i++) expectIssued(await cached(folder, ['--session-duration', '3600']));
    expect(shortcutsIn(folder)).toHaveLength(1);
    expect(scenario.emulator.issued.length).toBe(before + 1);
  });

  it('20 runs in a row make one CreateSession, and each prints the same credentials', async () => {
    const folder = cacheFolder();
    const before = scenario.emulator.issued.length;
    const outputs = new Set<string>();
    for (let i = 0; i < 20; i++) outputs.add((await cached(folder)).stdout);
    expect(scenario.emulator.issued.length).toBe(before + 1);
    expect(outputs.size).toBe(1);
    expectIssued({ code: 0, stdout: [...outputs][0]!, stderr: '', stdoutBytes: Buffer.alloc(0), ms: 0 });
  });

  it("runs started at once on the lock a killed run left make one CreateSession: one takes the lock over, the others find what it stored (QA)", async () => {
    const folder = cacheFolder();
    expectIssued(await cached(folder));
    const entry = join(folder, 'credentials', entries(folder)[0]!);
    rmSync(entry);
    // As a run killed while it held the lock leaves it, last stamped 9 s ago: taken over a second from now, which
    // leaves the one that takes it over 11 s, however loaded the machine, to store its entry before the others give up.
    mkdirSync(`${entry}.lock`, { mode: 0o700 });
    const stamped = new Date(Date.now() - 9_000);
    utimesSync(`${entry}.lock`, stamped, stamped);
    const before = scenario.emulator.issued.length;
    const results = await Promise.all(Array.from({ length: 10 }, () => cached(folder, ['--debug'])));
    expect(scenario.emulator.issued.length).toBe(before + 1);
    for (const result of results) {
      expect(result.code).toBe(0);
      // Taken over, not waited out: none gave up on the dead lock (which a lock stale only after 30 s made them do).
      expect(result.stderr).not.toContain('gave up waiting');
    }
    expect(results.filter((result) => result.stderr.includes('credential cache: stored')).length).toBe(1);
    expect(new Set(results.map((result) => result.stdout)).size).toBe(1);
    expect(JSON.parse(results[0]!.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
  }, 30_000);

  it('30 runs started at once make one CreateSession and print 30 identical valid outputs', async () => {
    const folder = cacheFolder();
    const before = scenario.emulator.issued.length;
    const results = await Promise.all(Array.from({ length: 30 }, () => cached(folder)));
    expect(scenario.emulator.issued.length).toBe(before + 1);
    // A run kept waiting for the lock over 4 s says so, and nothing else, as does the run whose
    // CreateSession is that slow: on a loaded machine (CI's, 30 Nodes starting on 2 cores while other tests
    // run) some do.
    const waited =
      /^[\d/]+ [\d:]+ waiting for (another run's CreateSession \(or its prompt for a password or PIN\), which holds the lock of \S+|http:\/\/127\.0\.0\.1:\d+ to answer CreateSession \(attempt 1 of 3\))\n$/;
    for (const result of results) expectIssued(result, waited.test(result.stderr) ? result.stderr : '');
    expect(new Set(results.map((result) => result.stdout)).size).toBe(1);
  });

  it('stores one entry, 0600 in a 0700 folder, that holds secrets only there', async () => {
    const folder = cacheFolder();
    const output = expectIssued(await cached(folder));
    const [entry] = entries(folder);
    expect(statSync(join(folder, 'credentials')).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, 'credentials', entry!)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(folder, 'credentials', entry!), 'utf8')).toContain(output.AccessKeyId);
  });

  it('a renewed certificate, another role ARN, session name or duration each get credentials of their own', async () => {
    const folder = cacheFolder();
    const renewable = await scenario.leaf('renewable');
    const keyArgs = ['--certificate', renewable.certPath, '--private-key', renewable.keyPath];
    const before = scenario.emulator.issued.length;
    expectIssued(await cached(folder, keyArgs));
    expectIssued(await cached(folder, keyArgs));
    expect(scenario.emulator.issued.length).toBe(before + 1);
    // Renewed in place: same path, same key, a new certificate.
    const renewed = await scenario.ca.issue({ subject: 'CN=renewable', publicKey: renewable.certificate.key!.spki });
    writeFileSync(renewable.certPath, renewed.pem);
    expectIssued(await cached(folder, keyArgs));
    expect(scenario.emulator.issued.length).toBe(before + 2);
    expectIssued(await cached(folder, [...keyArgs, '--role-session-name', 'other-session']));
    expectIssued(await cached(folder, [...keyArgs, '--session-duration', '1800']));
    expect(scenario.emulator.issued.length).toBe(before + 4);
    expect(entries(folder)).toHaveLength(4);
  });

  it('another role ARN gets credentials of its own', async () => {
    const other = await scenario.otherEmulator({ profiles: [{ arn: ARNS.profileArn, roleArns: [ARNS.roleArn, 'arn:aws:iam::123456789012:role/other'] }] });
    const folder = cacheFolder();
    const flags = ['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', ARNS.profileArn, '--endpoint', other.url, '--cache'];
    for (const role of [ARNS.roleArn, 'arn:aws:iam::123456789012:role/other', ARNS.roleArn]) {
      const result = await runCli(['credential-process', ...flags, '--role-arn', role], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder } });
      expect(result.code).toBe(0);
    }
    expect(other.issued.map((issued) => issued.roleArn)).toEqual([ARNS.roleArn, 'arn:aws:iam::123456789012:role/other']);
  });

  it('refreshes credentials with less than 15 minutes left rather than handing them out', async () => {
    const folder = cacheFolder();
    const first = expectIssued(await cached(folder));
    // The entry, 46 minutes later.
    setExpiration(folder, minutesFromNow(14));
    const before = scenario.emulator.issued.length;
    const second = await cached(folder, ['--debug']);
    expect(scenario.emulator.issued.length).toBe(before + 1);
    expect(JSON.parse(second.stdout).AccessKeyId).not.toBe(first.AccessKeyId);
    expect(second.stderr).toMatch(/credential cache: refresh \(.*: it expires in 1[34] min, too soon to hand out\)/);
  });

  it('refreshes credentials with less than 15 minutes left through the shortcut and the full check too (mutation testing: only --debug, which takes neither, was tried)', async () => {
    const folder = cacheFolder();
    await settle();
    const first = expectIssued(await cached(folder));
    expectIssued(await cached(folder));
    expect(shortcutsIn(folder)).toHaveLength(1);
    const seen = new Set([first.AccessKeyId]);
    for (const dropShortcuts of [false, true]) {
      const old = setExpiration(folder, minutesFromNow(14)).accessKeyId;
      if (dropShortcuts) removeShortcuts(folder);
      const before = scenario.emulator.issued.length;
      const renewed = expectIssued(await cached(folder));
      expect(scenario.emulator.issued.length).toBe(before + 1);
      expect(renewed.AccessKeyId).not.toBe(old);
      expect(seen.has(renewed.AccessKeyId)).toBe(false);
      seen.add(renewed.AccessKeyId);
    }
  });

  it('in an outage of the endpoint, hands out credentials with less than 15 minutes left with a warning, and tries the endpoint again only after a minute', async () => {
    const folder = cacheFolder();
    // The endpoint, behind a front that passes requests on, then fails them (a Region having a bad day).
    const front = await relaying(scenario.emulator.url);
    const args = ['--endpoint', front.url];
    try {
      const first = expectIssued(await cached(folder, args));
      setExpiration(folder, minutesFromNow(14));
      front.mode = 'fail';
      const outage = { AWS_MAX_ATTEMPTS: '1' };
      const failed = await cached(folder, args, outage);
      expect(failed.code).toBe(0);
      expect(JSON.parse(failed.stdout).AccessKeyId).toBe(first.AccessKeyId);
      expect(errorLine(failed)).toMatch(/^warning: unable to refresh the cached credentials \(.+\); handing out those of \S+, valid for 1[34] more min \(next try in 60 s\)$/);
      const tried = front.hits();
      expect(tried).toBeGreaterThan(1);
      for (let run = 0; run < 3; run++) {
        const next = await cached(folder, args, outage);
        expect(JSON.parse(next.stdout).AccessKeyId).toBe(first.AccessKeyId);
        expect(errorLine(next)).toMatch(/^warning: the cached credentials' refresh failed \d+ s ago; handing out those of \S+, valid for 1[34] more min \(next try in \d+ s\)$/);
      }
      expect(front.hits()).toBe(tried);
    } finally {
      await front.close();
    }
  });

  it('neither locks nor stores for credentials that would never be served (15 minutes or less), and says so with --debug', async () => {
    const folder = cacheFolder();
    const fifteenMinutes = await cached(folder, ['--session-duration', '900', '--debug']);
    expect(fifteenMinutes.code).toBe(0);
    expect(fifteenMinutes.stderr).toContain(
      'credential cache: not used: credentials of 900 s (--session-duration) would never be served from it, which hands out only credentials valid for more than 15 more min',
    );
    expect(existsSync(join(folder, 'credentials'))).toBe(false);

    // Asked for an hour, but the service (the profile's own duration) gave 14 minutes.
    const shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 14 * 60 });
    const front = await relaying(shortLived.url);
    try {
      const capped = await cached(folder, ['--endpoint', front.url, '--debug']);
      expect(capped.code).toBe(0);
      expect(capped.stderr).toMatch(/credential cache: not stored \(.*\): the credentials expire in 14 min, too soon to be handed out again/);
      // Not stored: a marker says so, without the credentials.
      const [marker] = entries(folder);
      expect(readFileSync(join(folder, 'credentials', marker!), 'utf8')).not.toContain(JSON.parse(capped.stdout).SecretAccessKey);
      // Until they expire, runs neither lock nor queue for them (QA: 8 runs at once took turns, 6 s for 0.8).
      front.delay(300);
      const before = shortLived.issued.length;
      const runs = await Promise.all(Array.from({ length: 4 }, () => cached(folder, ['--endpoint', front.url, '--debug'])));
      for (const run of runs) {
        expect(run.code).toBe(0);
        expect(run.stderr).toMatch(/credential cache: not used \(.*\): the service issues credentials too short-lived to be cached \(until \S+\)/);
        expect(run.stderr).not.toContain('credential cache: miss');
      }
      expect(shortLived.issued.length).toBe(before + 4);
    } finally {
      await front.close();
    }
  });

  it('runs that waited for a CreateSession that failed fail with its reason at once, rather than each make the same call in turn (QA)', async () => {
    const folder = cacheFolder();
    const failing = await answering((_req, res) => res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"message":"Service unavailable"}'));
    const front = await relaying(failing.url);
    front.delay(1500);
    try {
      const runs = await Promise.all(Array.from({ length: 4 }, () => cached(folder, ['--endpoint', front.url], { AWS_MAX_ATTEMPTS: '1' })));
      expect(front.hits()).toBe(1);
      for (const run of runs) {
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(errorLine(run)).toContain('api error UnknownError: Service unavailable');
      }
      const waited = runs.filter((run) => errorLine(run).endsWith('(the CreateSession of another run this one waited for; not tried again at once)'));
      expect(waited).toHaveLength(3);
      // A run that starts afterwards tries again itself.
      const later = await cached(folder, ['--endpoint', front.url], { AWS_MAX_ATTEMPTS: '1' });
      expect(later.code).toBe(1);
      expect(errorLine(later)).not.toContain('another run');
      expect(front.hits()).toBe(2);
    } finally {
      await front.close();
      await failing.close();
    }
  });

  it('runs waiting on a call to an endpoint that hangs wait for its outcome, as long as it may take, rather than each make the whole call again (QA: 12 s, then 42 s and 9 calls for 3 runs)', async () => {
    const folder = cacheFolder();
    const silent = await hanging();
    try {
      // Two attempts of 10 s each: the call that holds the lock takes over 20 s.
      const runs = await Promise.all(Array.from({ length: 3 }, () => cached(folder, ['--endpoint', silent.url], { AWS_MAX_ATTEMPTS: '2' })));
      for (const run of runs) expect(run).toMatchObject({ code: 1, stdout: '' });
      // The holder also said, at 4 s, what it waited for.
      const last = (run: CliResult) => run.stderr.trim().split('\n').at(-1)!;
      for (const run of runs) expect(last(run)).toMatch(/timed out after 10 s waiting for the response/);
      expect(runs.map((run) => last(run).endsWith('(the CreateSession of another run this one waited for; not tried again at once)')).sort()).toEqual([false, true, true]);
      expect(silent.hits()).toBe(2);
      expect(Math.max(...runs.map((run) => run.ms))).toBeLessThan(29_000);
    } finally {
      await silent.close();
    }
  }, 60_000);

  it('is quiet when ROLES_ANYWHERE_HELPER_CACHE_DIR is off (--debug says so), and warns when there is no folder for it', async () => {
    const off = await cached(cacheFolder(), [], { ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off' });
    expectIssued(off);
    expect((await cached(cacheFolder(), ['--debug'], { ROLES_ANYWHERE_HELPER_CACHE_DIR: 'off' })).stderr).toContain(
      'credential cache: off (ROLES_ANYWHERE_HELPER_CACHE_DIR=off)',
    );
    const relative = await cached(cacheFolder(), [], { ROLES_ANYWHERE_HELPER_CACHE_DIR: '', HOME: 'relative' });
    expectIssued(relative, relative.stderr);
    expect(relative.stderr).toMatch(
      /^\S+ \S+ warning: no credential cache: the home folder "relative" is not an absolute path \(set HOME, XDG_CACHE_HOME or ROLES_ANYWHERE_HELPER_CACHE_DIR to an absolute path\)\n$/,
    );
  });

  it("makes no home folder that does not exist (HOME=/nonexistent, Debian's \"no home\"): no code cache without --cache, a warning with it (QA: root made /nonexistent/.cache/…)", async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'rah-no-home-')), 'nonexistent');
    const env = { ROLES_ANYWHERE_HELPER_CACHE_DIR: '', HOME: home };
    const plain = await runCli(['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], { env });
    expectIssued(plain);
    const result = await runCli(['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], { env });
    expectIssued(result, result.stderr);
    expect(result.stderr).toMatch(
      new RegExp(`^\\S+ \\S+ warning: no credential cache: the home folder "${home}" does not exist \\(make it, or set XDG_CACHE_HOME or ROLES_ANYWHERE_HELPER_CACHE_DIR\\)\n$`),
    );
    // Nor is one cleared: a suite that clears the cache as it starts, run by such a user, goes on (review).
    const cleared = await runCli(['cache', 'clear'], { env });
    expect(cleared).toMatchObject({ code: 0, stdout: '' });
    expect(cleared.stderr).toMatch(new RegExp(`^\\S+ \\S+ the home folder "${home}" does not exist: no credential cache to clear\n$`));
    expect(existsSync(home)).toBe(false);
  });

  it.runIf(isRoot)("a home folder this user may not reach is said as such, not as one that does not exist (review: HOME below root's 0700 folder was 'does not exist (make it…)', and cache clear said there was no cache to clear)", async () => {
    const { base, closed, home, certificate, key } = unreachableHome(leaf);
    const asNobody = { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: '', HOME: home }, via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] };
    const result = await runCli(['credential-process', '--cache', '--certificate', certificate, '--private-key', key, ...scenario.sessionFlags()], asNobody);
    expectIssued(result, result.stderr);
    expect(result.stderr).not.toContain('does not exist');
    expect(result.stderr).toMatch(/^\S+ \S+ warning: .*permission denied \(this user may not enter .*root-only: mode 0700, owner 0\)/);
    const cleared = await runCli(['cache', 'clear'], asNobody);
    expect(cleared).toMatchObject({ code: 1, stdout: '' });
    expect(cleared.stderr).toMatch(
      new RegExp(`^\\S+ \\S+ unable to read the credential cache ${home}/\\.cache/roles-anywhere-helper/credentials: permission denied \\(this user may not enter ${closed}: mode 0700, owner 0\\)\n$`),
    );
    expect(readdirSync(home)).toEqual([]);
    rmSync(base, { recursive: true, force: true });
  });

  it.runIf(isRoot)('warns when there is no home folder: no HOME, and a user the user database does not know (docker run --user 4242)', async () => {
    expect(spawnSync('getent', ['passwd', '4242']).status).toBe(2); // no such entry
    const folder = mkdtempSync(join(tmpdir(), 'rah-homeless-'));
    chmodSync(folder, 0o755);
    const [certificate, key] = leafFilesOf(4242, leaf, folder);
    const result = await runCli(['credential-process', '--cache', '--certificate', certificate, '--private-key', key, ...scenario.sessionFlags()], {
      env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: '', HOME: '' },
      via: ['setpriv', '--reuid=4242', '--regid=4242', '--clear-groups'],
    });
    expectIssued(result, result.stderr);
    expect(result.stderr).toMatch(/^\S+ \S+ warning: no credential cache: there is no home folder \(set HOME, XDG_CACHE_HOME or ROLES_ANYWHERE_HELPER_CACHE_DIR to an absolute path\)\n$/);
    // Nor is one cleared, as for HOME=/nonexistent: a unit or suite that clears the cache as it starts goes on (QA: exit 1, "there is no credential cache").
    const cleared = await runCli(['cache', 'clear'], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: '', HOME: '' }, via: ['setpriv', '--reuid=4242', '--regid=4242', '--clear-groups'] });
    expect(cleared).toMatchObject({ code: 0, stdout: '' });
    expect(cleared.stderr).toMatch(/^\S+ \S+ there is no home folder: no credential cache to clear\n$/);
  });

  it.runIf(isRoot)('puts no credentials in a cache folder another user made first (in /tmp, say), and says so once', async () => {
    const folder = cacheFolder();
    chownSync(folder, 65534, 65534);
    chmodSync(folder, 0o777);
    const before = scenario.emulator.issued.length;
    for (let i = 0; i < 2; i++) {
      const result = await cached(folder);
      expect(errorLine(result)).toBe(`warning: not using the credential cache in ${folder}/credentials: it is inside ${folder}, which belongs to another user`);
      expectIssued(result, result.stderr);
    }
    expect(scenario.emulator.issued.length).toBe(before + 2);
    expect(existsSync(join(folder, 'credentials'))).toBe(false);
  });

  it('makes no cache folder in a folder everyone may write (QA: it was made, the V8 code cache\'s too, and refused only then)', async () => {
    const open = cacheFolder();
    chmodSync(open, 0o777); // without the sticky bit /tmp has: anyone may swap what is made in it
    const folder = join(open, 'roles-anywhere-helper');
    for (let i = 0; i < 2; i++) {
      const result = await cached(folder);
      expect(errorLine(result)).toBe(`warning: not using the credential cache in ${folder}/credentials: it is inside ${open}, which everyone may write`);
      expectIssued(result, result.stderr);
    }
    expect(readdirSync(open)).toEqual([]);
  });

  it('never puts credentials under the working folder: a relative cache folder is not one', async () => {
    const work = mkdtempSync(join(tmpdir(), 'rah-relative-cache-'));
    const run = (env: Record<string, string>) =>
      runCli(['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], { env, cwd: work });
    const chosen = await run({ ROLES_ANYWHERE_HELPER_CACHE_DIR: 'relative' });
    expectIssued(chosen, chosen.stderr);
    expect(chosen.stderr).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d warning: no credential cache: ROLES_ANYWHERE_HELPER_CACHE_DIR "relative" is not an absolute path\n$/);
    // A relative XDG_CACHE_HOME is ignored, as the XDG specification says: HOME's .cache is used.
    const home = mkdtempSync(join(tmpdir(), 'rah-relative-home-'));
    const xdg = await run({ ROLES_ANYWHERE_HELPER_CACHE_DIR: '', XDG_CACHE_HOME: 'relative-xdg', HOME: home });
    expectIssued(xdg, xdg.stderr);
    expect(xdg.stderr).toBe('');
    expect(readdirSync(work)).toEqual([]);
    expect(readdirSync(join(home, '.cache', 'roles-anywhere-helper', 'credentials')).length).toBeGreaterThan(0);
    // Nor is one with a trailing newline (the variable read from a file): it would be a second folder (QA).
    const newline = await run({ ROLES_ANYWHERE_HELPER_CACHE_DIR: `${home}/shared\n` });
    expectIssued(newline, newline.stderr);
    expect(newline.stderr).toContain(`warning: no credential cache: ROLES_ANYWHERE_HELPER_CACHE_DIR ${JSON.stringify(`${home}/shared\n`)} holds a control character\n`);
    expect(readdirSync(home)).toEqual(['.cache']);
    rmSync(work, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it("says once that an XDG_CACHE_HOME that is not UTF-8 was passed over, and for which folder, and succeeds; cache clear too (QA: the cache went to HOME's .cache without a word)", async () => {
    const home = mkdtempSync(join(tmpdir(), 'rah-latin1-xdg-home-'));
    // The shell passes the byte 0xE9 (é in Latin-1) on as it is; Node reads it as U+FFFD.
    const via = ['sh', '-c', `XDG_CACHE_HOME="${home}/caf$(printf '\\351')" exec "$@"`, 'sh'];
    const env = { ROLES_ANYWHERE_HELPER_CACHE_DIR: '', HOME: home, LC_ALL: 'C' };
    const folder = join(home, '.cache', 'roles-anywhere-helper', 'credentials');
    const warning = `warning: XDG_CACHE_HOME "${home}/caf\uFFFD" holds bytes that are not UTF-8 (shown as \uFFFD), which Node.js cannot name: ` +
      `the credential cache is in ${folder} instead (ROLES_ANYWHERE_HELPER_CACHE_DIR names another)`;
    try {
      const result = await runCli(['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], { env, via });
      expect(result.code).toBe(0);
      expect(result.stderr.split('\n').filter(Boolean).map((line) => line.replace(/^\S+ \S+ /, ''))).toEqual([warning]);
      expect(scenario.emulator.issued.some((issued) => issued.accessKeyId === JSON.parse(result.stdout).AccessKeyId)).toBe(true);
      expect(readdirSync(folder).filter((name) => name.endsWith('.json'))).toHaveLength(1);
      const clear = await runCli(['cache', 'clear'], { env, via });
      expect(clear.code).toBe(0);
      expect(clear.stdout).toBe('');
      expect(clear.stderr.split('\n').filter(Boolean).map((line) => line.replace(/^\S+ \S+ /, ''))).toEqual([warning, `removed 1 cached set of credentials from ${folder}`]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it.each(['SIGINT', 'SIGTERM'])('%s right after the entry is locked leaves no lock to hold up the next run (QA: 10 to 12 s)', async (signal) => {
    const folder = cacheFolder();
    // strace delivers the signal at proper-lockfile's first utimensat(2): the probe of the lock folder's time, just after it is made.
    const interrupt = straceFault('utimensat', `signal=${signal}`, { when: 1 });
    const result = await runCli(['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], {
      env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder },
      via: interrupt,
    });
    expect(result.code).toBeNull(); // ended by the signal, re-raised once the exit hooks ran
    expect(result.stdout).toBe('');
    expect(readdirSync(join(folder, 'credentials')).filter((name) => name.endsWith('.lock'))).toEqual([]);
    const next = await cached(folder, ['--debug']);
    expect(next.code).toBe(0);
    expect(next.stderr).not.toContain('gave up waiting');
  });

  it.runIf(isRoot)("leaves nothing in another user's home when root runs with their HOME (sudo -E): no code cache, no credential cache, one warning for --cache (QA)", async () => {
    const home = mkdtempSync(join(tmpdir(), 'rah-their-home-'));
    chownSync(home, 65534, 65534);
    const env = { HOME: home, ROLES_ANYWHERE_HELPER_CACHE_DIR: '' };
    const plain = await runCli(['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], { env });
    expectIssued(plain);
    const withCache = await runCli(['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], { env });
    expect(withCache.code).toBe(0);
    // Refused where it would be made, before anything is made there.
    expect(errorLine(withCache)).toBe(`warning: not using the credential cache in ${home}/.cache/roles-anywhere-helper/credentials: it is inside ${home}, which belongs to another user`);
    expect(readdirSync(home)).toEqual([]);
  });

  it("removes the copy of an entry a run killed before its rename left (it holds credentials) once a minute old (QA)", async () => {
    const folder = cacheFolder();
    const kill = straceFault('rename', 'signal=SIGKILL', { when: 1 });
    const killed = await runCli(['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], {
      env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder },
      via: kill,
    });
    expect(killed.code).toBeNull();
    const credentials = join(folder, 'credentials');
    const temporaries = () => readdirSync(credentials).filter((name) => name.endsWith('.tmp'));
    expect(temporaries()).toHaveLength(1);
    for (const lock of readdirSync(credentials).filter((name) => name.endsWith('.lock'))) rmSync(join(credentials, lock), { recursive: true });
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    for (const name of temporaries()) utimesSync(join(credentials, name), twoMinutesAgo, twoMinutesAgo);
    expectIssued(await cached(folder));
    expect(temporaries()).toEqual([]);
  });

  it('says hit, miss or refresh with --debug', async () => {
    const folder = cacheFolder();
    expect((await cached(folder, ['--debug'])).stderr).toMatch(/credential cache: miss \(.*: no entry\)/);
    expect((await cached(folder, ['--debug'])).stderr).toMatch(/credential cache: hit \(.*, valid for 59 more min\)/);
    // Long expired: a refresh, said once (not again after the lock's second look).
    const { path } = setExpiration(folder, minutesFromNow(-90));
    const expired = (await cached(folder, ['--debug'])).stderr;
    expect(expired.match(/credential cache: (refresh|miss)/g)).toEqual(['credential cache: refresh']);
    expect(expired).toMatch(/credential cache: refresh \(.*: it expired 9[01] min ago\)/);
    // An entry of this name for other credentials (a hash collision) is a miss.
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), key: 'other' }));
    const other = (await cached(folder, ['--debug'])).stderr;
    expect(other.match(/credential cache: (refresh|miss)/g)).toEqual(['credential cache: miss']);
    expect(other).toMatch(/credential cache: miss \(.*: it is for other credentials\)/);
  });

  describe('never makes the command fail', () => {
    /** A cached entry, then damaged by `damage`; the next run warns once, succeeds, and replaces it. */
    async function afterDamage(damage: (path: string) => void, warning: RegExp) {
      const folder = cacheFolder();
      expectIssued(await cached(folder));
      const path = join(folder, 'credentials', entries(folder)[0]!);
      damage(path);
      const before = scenario.emulator.issued.length;
      const result = await cached(folder);
      expect(result.code).toBe(0);
      expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(result.stderr).toMatch(warning);
      expectIssued(result, result.stderr);
      expect(scenario.emulator.issued.length).toBe(before + 1);
      return { folder, path };
    }

    it('a corrupt entry', async () => {
      await afterDamage((path) => writeFileSync(path, '{"key": not json'), /warning: ignoring the cached credentials .*: it is not valid JSON/);
    });

    it('a truncated entry, which is then replaced', async () => {
      const { folder } = await afterDamage(
        (path) => writeFileSync(path, readFileSync(path).subarray(0, 100)),
        /warning: ignoring the cached credentials .*: it is not valid JSON \(damaged or cut short\)/,
      );
      expect((await cached(folder)).stderr).toBe('');
    });

    it.runIf(isRoot)('an entry owned by someone else', async () => {
      await afterDamage((path) => chownSync(path, 65534, 65534), /warning: ignoring the cached credentials .*: it belongs to another user/);
    });

    it('an entry whose credentials expire further off than any session lasts (edited, or written before the clock was set back), through the shortcut too, which is then replaced (QA)', async () => {
      const folder = cacheFolder();
      await settle();
      expectIssued(await cached(folder));
      expectIssued(await cached(folder)); // a hit, which leaves the shortcut
      expect(shortcutsIn(folder)).toHaveLength(1);
      const { path } = setExpiration(folder, '2099-01-01T00:00:00Z');
      const before = scenario.emulator.issued.length;
      const result = await cached(folder);
      expect(result.stderr).toMatch(
        /^\S+ \S+ warning: ignoring the cached credentials .*: its credentials expire at 2099-01-01T00:00:00Z, past any session's 12 hours: damaged, or the clock was set back\n$/,
      );
      expect(expectIssued(result, result.stderr).Expiration).not.toBe('2099-01-01T00:00:00Z');
      expect(scenario.emulator.issued.length).toBe(before + 1);
      expect(JSON.parse(readFileSync(path, 'utf8')).credentials.Expiration).not.toBe('2099-01-01T00:00:00Z');
      expectIssued(await cached(folder));
      expect(scenario.emulator.issued.length).toBe(before + 1);
    });

    it('an entry that is a symbolic link, named as such', async () => {
      await afterDamage((path) => {
        renameSync(path, `${path}.real`);
        symlinkSync(`${path}.real`, path);
      }, /warning: ignoring the cached credentials .*: it is a symbolic link\n$/);
    });

    it('a cache folder that is a file: the reason in words, as cache clear says it', async () => {
      const folder = cacheFolder();
      writeFileSync(join(folder, 'file'), '');
      const result = await cached(join(folder, 'file'));
      expect(result.stderr).toMatch(/^\S+ \S+ warning: not using the credential cache in .*file\/credentials: it cannot be opened: \S+\/file is a regular file, not a folder\n$/);
      expectIssued(result, result.stderr);
    });

    it('an entry made readable by others, which is replaced by a new one of mode 0600', async () => {
      const { folder, path } = await afterDamage((path) => chmodSync(path, 0o644), /warning: ignoring the cached credentials .*: it is readable by other users \(mode 0644\), who may have read its credentials\n$/);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect((await cached(folder)).stderr).toBe('');
    });

    it('an entry its group can read (QA17 mutation testing: only one others could read was tested)', async () => {
      await afterDamage((path) => chmodSync(path, 0o640), /warning: ignoring the cached credentials .*: it is readable by other users \(mode 0640\), who may have read its credentials\n$/);
    });

    it('a group-writable entry', async () => {
      await afterDamage((path) => chmodSync(path, 0o620), /warning: ignoring the cached credentials .*: it is writable by others/);
    });

    it.runIf(isRoot)('a cache folder that cannot be written', async () => {
      const folder = cacheFolder();
      mkdirSync(join(folder, 'credentials'), { mode: 0o700 });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k,mode=0700', 'tmpfs', join(folder, 'credentials')]);
      try {
        for (let run = 0; run < 2; run++) {
          const result = await cached(folder);
          expect(result.stderr).toMatch(/^\S+ \S+ warning: unable to use the credential cache in .*credentials: .*read-only file system\n$/);
          expectIssued(result, result.stderr);
        }
      } finally {
        execFileSync('umount', [join(folder, 'credentials')]);
      }
    });

    it('a cache folder others may write: its entries are neither used (through a shortcut either) nor written, with one warning', async () => {
      const folder = cacheFolder();
      expectIssued(await cached(folder));
      expect((await cached(folder)).code).toBe(0); // a hit, which leaves a shortcut
      const credentials = join(folder, 'credentials');
      expect(readdirSync(credentials).some((name) => name.endsWith('.shortcut'))).toBe(true);
      const entry = entries(folder)[0]!;
      const before = readFileSync(join(credentials, entry));
      chmodSync(credentials, 0o777);
      for (let run = 0; run < 2; run++) {
        const issued = scenario.emulator.issued.length;
        const result = await cached(folder);
        expect(result.stderr).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d warning: not using the credential cache in /);
        expect(result.stderr.slice(20)).toBe(`warning: not using the credential cache in ${credentials}: it is writable by others\n`);
        expectIssued(result, result.stderr);
        expect(scenario.emulator.issued.length).toBe(issued + 1);
      }
      expect(readFileSync(join(credentials, entry)).equals(before)).toBe(true);
    });

    it("a cache folder that cannot be made, under /proc, where Node's recursive mkdirSync never returns", async () => {
      const result = await cached('/proc/no-such-folder');
      expect(errorLine(result)).toBe('warning: unable to use the credential cache in /proc/no-such-folder/credentials: cannot make the folder /proc/no-such-folder: no such file or directory');
      expectIssued(result, result.stderr);
    });

    it.runIf(isRoot)("a cache folder that cannot be made in a folder of root's (a ~/.cache left by sudo) names the folder (QA: only \"…/credentials: permission denied\")", async () => {
      const rootOwned = mkdtempSync(join(tmpdir(), 'rah-root-cache-'));
      chmodSync(rootOwned, 0o755);
      const [certificate, key] = leafFilesOf(65534, leaf, rootOwned);
      const folder = join(rootOwned, 'roles-anywhere-helper');
      try {
        const result = await runCli(['credential-process', '--cache', '--certificate', certificate, '--private-key', key, ...scenario.sessionFlags()], {
          env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder },
          via: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
        });
        expect(errorLine(result)).toBe(`warning: unable to use the credential cache in ${folder}/credentials: cannot make the folder ${folder}: permission denied`);
        expectIssued(result, result.stderr);
      } finally {
        rmSync(rootOwned, { recursive: true, force: true });
      }
    });

    it.runIf(isRoot)('a cache folder on a full filesystem', async () => {
      const folder = cacheFolder();
      mkdirSync(join(folder, 'credentials'), { mode: 0o700 });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,mode=0700', 'tmpfs', join(folder, 'credentials')]);
      try {
        writeFileSync(join(folder, 'credentials', 'filler'), Buffer.alloc(64 * 1024));
      } catch {
        // full: exactly what is wanted
      }
      try {
        // Said before the lock is taken: runs do not queue for a lock whose holder can store nothing (QA).
        for (const result of await Promise.all([1, 2, 3].map(() => cached(folder)))) {
          expect(result.stderr).toMatch(/^\S+ \S+ warning: not using the credential cache in .*credentials: no space left on device\n$/);
          expectIssued(result, result.stderr);
        }
      } finally {
        execFileSync('umount', [join(folder, 'credentials')]);
      }
    });
  });

  describe('a hit reads the certificate and nothing else', () => {
    it('an encrypted PKCS#8 key needs no password', async () => {
      const folder = cacheFolder();
      const keyArgs = ['--certificate', leaf.certPath, '--private-key', encrypted];
      const first = expectIssued(await cached(folder, [...keyArgs, '--pkcs8-password', 'secret']));
      const result = await runCli(['credential-process', '--cache', ...keyArgs, ...scenario.sessionFlags()], {
        env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder },
        withoutTerminal: true,
      });
      expect(expectIssued(result).AccessKeyId).toBe(first.AccessKeyId);
    });

    it('a PKCS#11 key: no module is loaded and no PIN asked for (the token is gone)', async () => {
      const hsm = new SoftHsm();
      try {
        hsm.initToken('cache-token');
        await hsm.addIdentity('cache-token', scenario.ca, 'ec-p256', { id: '01', label: 'cached-key' });
        const folder = cacheFolder();
        const uri = 'pkcs11:token=cache-token;object=cached-key';
        const withPin = ['--certificate', `${uri}?pin-value=${USER_PIN}`, '--pkcs11-lib', softHsmModule];
        const first = expectIssued(await cached(folder, withPin, hsm.env));
        // A hit, which leaves no shortcut: it would hold the PIN.
        expect(expectIssued(await cached(folder, withPin, hsm.env)).AccessKeyId).toBe(first.AccessKeyId);
        expect(shortcutsIn(folder)).toEqual([]);
        hsm.cleanup(); // the token, and its whole store, removed
        const result = await runCli(['credential-process', '--cache', '--certificate', uri, '--pkcs11-lib', softHsmModule, ...scenario.sessionFlags()], {
          env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder, ...hsm.env },
          withoutTerminal: true,
        });
        expect(expectIssued(result).AccessKeyId).toBe(first.AccessKeyId);
      } finally {
        hsm.cleanup();
      }
    });

    it('a TPM key: tpm2-tools never run (the TPM is gone)', async () => {
      const swtpm = await Swtpm.start();
      const folder = cacheFolder();
      const key = swtpm.createKeyFile(scenario.workspace.path('cached-tpm-key.pem'), { algorithm: 'EC' });
      const certificate = await certifyTpmKey(swtpm, scenario, 'cached-tpm', key);
      const keyArgs = ['--certificate', certificate, '--private-key', key];
      const first = expectIssued(await cached(folder, keyArgs, swtpm.env));
      const tcti = swtpm.env;
      await swtpm.stop();
      const result = await cached(folder, keyArgs, tcti);
      expect(expectIssued(result).AccessKeyId).toBe(first.AccessKeyId);
    });
  });

  it('with an entry there, prints the help for --help or -h, and says hit for --log-level debug, as without the cache (mutation testing: both were answered with the credentials alone)', async () => {
    const folder = cacheFolder();
    const first = expectIssued(await cached(folder));
    expectIssued(await cached(folder));
    const before = scenario.emulator.issued.length;
    for (const help of [['--help'], ['-h'], ['--help=true']]) {
      const result = await cached(folder, help);
      expect(result, help.join(' ')).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^Retrieve AWS credentials in the format .*\n\nUsage:\n {2}aws_signing_helper credential-process \[flags\]\n/);
      expect(result.stdout).not.toContain(first.AccessKeyId);
    }
    const debug = await cached(folder, ['--log-level', 'debug']);
    expect(expectIssued(debug, debug.stderr).AccessKeyId).toBe(first.AccessKeyId);
    expect(debug.stderr).toMatch(/credential cache: hit \(.*, valid for 59 more min\)/);
    expect(scenario.emulator.issued.length).toBe(before);
  });

  it('refuses --debug with --log-level with an entry there, as without the cache', async () => {
    const folder = cacheFolder();
    expectIssued(await cached(folder));
    for (let i = 0; i < 2; i++) {
      const result = await cached(folder, ['--debug=false', '--log-level=warn']);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(/if any flags in the group \[debug log-level\] are set none of the others can be/);
    }
    expect(shortcutsIn(folder)).toEqual([]);
  });

  it("refuses, with an entry there, the key flags the command's groups exclude, as without the cache (mutation testing: only --debug with --log-level was tried)", async () => {
    const folder = cacheFolder();
    expectIssued(await cached(folder));
    const passwordFile = scenario.workspace.write('cached-excluded-password', 'secret\n');
    chmodSync(passwordFile, 0o600);
    const group = (a: string, b: string) => `if any flags in the group [${a} ${b}] are set none of the others can be; [${a} ${b}] were all set (see aws_signing_helper credential-process --help)`;
    const refused: [string[], string][] = [
      [['--pkcs8-password', 'secret', '--pkcs8-password-file', passwordFile], group('pkcs8-password', 'pkcs8-password-file')],
      [['--no-tpm-key-password', '--tpm-key-password', 'secret'], group('no-tpm-key-password', 'tpm-key-password')],
      [['--use-latest-expiring-certificate'], group('private-key', 'use-latest-expiring-certificate')],
    ];
    for (const [args, message] of refused) {
      const result = await cached(folder, args);
      expect(result, args.join(' ')).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(result)).toBe(message);
    }
    expect(shortcutsIn(folder)).toEqual([]);
  });

  it('refuses, with an entry there, what the CLI refuses for the key that the flags and the certificate tell', async () => {
    const folder = cacheFolder();
    expectIssued(await cached(folder));
    const combined = scenario.workspace.write('cached-combined.pem', readFileSync(leaf.keyPath, 'utf8') + readFileSync(leaf.certPath, 'utf8'));
    const refused: [string[], RegExp][] = [
      [['--certificate', leaf.certPath], /unable to parse private key: .*cached.* holds no private key; give the key with --private-key/],
      [['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--pkcs12-password', 'x'], /--pkcs12-password is for a PKCS#12 file given as --certificate without --private-key/],
      [['--certificate', combined, '--pkcs12-password', 'x'], /--pkcs12-password is for a PKCS#12 file, not a key file/],
      // A key named otherwise than by a file, that does not parse.
      [['--certificate', leaf.certPath, '--private-key', 'handle:zzzz'], /invalid hex TPM handle value: handle:zzzz \(expected handle:0x81000001\)/],
      [['--certificate', leaf.certPath, '--private-key', 'pkcs11:foo=bar'], /Malformed pkcs11 URI pkcs11:foo=\*\*\*: unknown path attribute "foo"/],
      [['--certificate', leaf.certPath, '--private-key', 'pkcs11:token=x;type=cert'], /--private-key pkcs11:token=x;type=cert names objects of type=cert; it must name type=private/],
      [['--certificate', leaf.certPath, '--private-key', 'ssh-agent:SHA256:x'], /invalid --private-key ssh-agent:SHA256:x: expected ssh-agent, or ssh-agent:SHA256:<fingerprint> as ssh-add -l prints it/],
    ];
    for (const [args, message] of refused) {
      const result = await cached(folder, args);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(message);
      expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
    // The combined file itself is answered from the entry.
    const before = scenario.emulator.issued.length;
    expectIssued(await cached(folder, ['--certificate', combined]));
    expect(scenario.emulator.issued.length).toBe(before);
    expect(shortcutsIn(folder)).toHaveLength(1);
  });

  it('refuses, with an entry there, role chaining options given without the role to chain into, or with an empty one, as without the cache', async () => {
    const folder = cacheFolder();
    expectIssued(await cached(folder));
    const stsEndpoint = scenario.emulator.url;
    const emptyRole = 'invalid --assume-role-arn "": it names no role to chain into (leave it out for the Roles Anywhere role\'s own credentials)';
    const refused: [string[], string][] = [
      // Not answered from the plain CreateSession's entry, which would hand out another role's credentials.
      [['--assume-role-arn='], emptyRole],
      [['--assume-role-arn', '', '--external-id', 'ext-123'], emptyRole],
      [['--external-id', 'ext-123'], '--external-id needs --assume-role-arn: it is an option of role chaining'],
      [['--assume-role-session-name', 'named'], '--assume-role-session-name needs --assume-role-arn: it is an option of role chaining'],
      [['--assume-role-duration', '900'], '--assume-role-duration needs --assume-role-arn: it is an option of role chaining'],
      [['--sts-endpoint', stsEndpoint], '--sts-endpoint needs --assume-role-arn: STS is called only to chain into a role'],
    ];
    for (const [args, message] of refused) {
      const result = await cached(folder, args);
      expect(result, args.join(' ')).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(result)).toBe(message);
    }
    expect(shortcutsIn(folder)).toEqual([]);
  });

  it('names the chain, not the certificate, when --intermediates cannot be read, as without the cache', async () => {
    const folder = cacheFolder();
    expectIssued(await cached(folder));
    const missing = join(folder, 'no-such-chain.pem');
    for (const extra of [['--cache'], []]) {
      const result = await runCli(['credential-process', ...extra, '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags(), '--intermediates', missing], {
        env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder },
      });
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(result)).toBe(`unable to read certificate bundle ${missing}: no such file or directory`);
    }
  });

  describe('the shortcut a hit leaves for the next runs of its command line', () => {
    /** A new cache folder, filled by a miss and given its shortcut by the first hit; the credentials printed. */
    const withShortcut = async (keyArgs?: string[]) => {
      const folder = cacheFolder();
      await settle();
      const first = expectIssued(await cached(folder, keyArgs));
      expectIssued(await cached(folder, keyArgs));
      expect(shortcutsIn(folder)).toHaveLength(1);
      return { folder, first };
    };

    it('answers on its own: a copy of the helper without the full check or the CLI prints the same credentials', async () => {
      const { folder, first } = await withShortcut();
      expect(statSync(join(folder, 'credentials', shortcutsIn(folder)[0]!)).mode & 0o777).toBe(0o600);
      // The launcher and the shortcut's bundle only: had it needed anything else, this copy would crash.
      const copy = scenario.workspace.path('shortcut-only');
      mkdirSync(join(copy, 'bin'), { recursive: true });
      mkdirSync(join(copy, 'dist'));
      writeFileSync(join(copy, 'bin', 'aws_signing_helper.cjs'), readFileSync(cliPath));
      writeFileSync(join(copy, 'dist', 'shortcutHit.function.js'), readFileSync(join(projectRoot, 'dist', 'shortcutHit.function.js')));
      const before = scenario.emulator.issued.length;
      const args = ['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()];
      const result = await runCli(args, { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder }, program: join(copy, 'bin', 'aws_signing_helper.cjs') });
      expect(expectIssued(result).AccessKeyId).toBe(first.AccessKeyId);
      expect(scenario.emulator.issued.length).toBe(before);
    });

    it('a certificate rewritten in place, its size and modification time kept, gets credentials of its own', async () => {
      const renewable = await scenario.leaf('rewritten');
      const keyArgs = ['--certificate', renewable.certPath, '--private-key', renewable.keyPath];
      // Whole seconds, which utimes restores exactly: only the file's change time tells the rewrite.
      utimesSync(renewable.certPath, 1_700_000_000, 1_700_000_000);
      const { folder, first } = await withShortcut(keyArgs);
      const before = scenario.emulator.issued.length;
      // A renewal of the same length (serial numbers and signatures vary by a byte or two).
      const renew = () => scenario.ca.issue({ subject: 'CN=rewritten,O=roles-anywhere-helper tests', publicKey: renewable.certificate.key!.spki });
      let renewed = await renew();
      for (let tries = 0; renewed.pem.length !== renewable.certificate.pem.length && tries < 100; tries++) renewed = await renew();
      expect(renewed.pem.length).toBe(renewable.certificate.pem.length);
      writeFileSync(renewable.certPath, renewed.pem);
      utimesSync(renewable.certPath, 1_700_000_000, 1_700_000_000);
      const second = expectIssued(await cached(folder, keyArgs));
      expect(scenario.emulator.issued.length).toBe(before + 1);
      expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
    });

    it('a variable that decides the credentials, set after it was left, gets credentials and a shortcut of their own', async () => {
      const { folder, first } = await withShortcut();
      const before = scenario.emulator.issued.length;
      const variable = { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' };
      const second = expectIssued(await cached(folder, [], variable));
      expect(scenario.emulator.issued.length).toBe(before + 1);
      expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
      // Its first hit leaves a second shortcut; each caller's keeps leading to its own credentials.
      expect(expectIssued(await cached(folder, [], variable)).AccessKeyId).toBe(second.AccessKeyId);
      expect(shortcutsIn(folder)).toHaveLength(2);
      expect(expectIssued(await cached(folder)).AccessKeyId).toBe(first.AccessKeyId);
      expect(expectIssued(await cached(folder, [], variable)).AccessKeyId).toBe(second.AccessKeyId);
      expect(scenario.emulator.issued.length).toBe(before + 1);
    });

    it('a relative certificate path, run from another folder, reads that folder\'s certificate', async () => {
      const folder = cacheFolder();
      const [here, there] = ['here', 'there'].map((name) => scenario.workspace.path(`relative-${name}`));
      const leaves = [await scenario.leaf('relative-here'), await scenario.leaf('relative-there')];
      [here, there].forEach((dir, i) => {
        mkdirSync(dir!);
        writeFileSync(join(dir!, 'cert.pem'), readFileSync(leaves[i]!.certPath));
        writeFileSync(join(dir!, 'key.pem'), readFileSync(leaves[i]!.keyPath));
      });
      await settle();
      const run = (cwd: string) =>
        runCli(['credential-process', '--cache', '--certificate', 'cert.pem', '--private-key', 'key.pem', ...scenario.sessionFlags()], {
          env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder },
          cwd,
        });
      const first = expectIssued(await run(here!));
      expectIssued(await run(here!));
      expect(shortcutsIn(folder)).toHaveLength(1);
      const before = scenario.emulator.issued.length;
      const second = expectIssued(await run(there!));
      expect(scenario.emulator.issued.length).toBe(before + 1);
      expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
    });

    it.runIf(isRoot)('is not followed for a certificate its caller may no longer read: the full check fails as it would', async () => {
      const home = mkdtempSync(join(tmpdir(), 'rah-shortcut-nobody-'));
      try {
        chmodSync(home, 0o755);
        const [certificate, key, cache] = ['cert.pem', 'key.pem', 'cache'].map((name) => join(home, name)) as [string, string, string];
        // Readable by a group the caller is in, and then is not: the file itself, and its stamp, stay as they are.
        writeFileSync(certificate, readFileSync(leaf.certPath), { mode: 0o640 });
        chownSync(certificate, 0, 4242);
        writeFileSync(key, readFileSync(leaf.keyPath), { mode: 0o600 });
        mkdirSync(cache, { mode: 0o700 });
        for (const owned of [key, cache]) chownSync(owned, 65534, 65534);
        await settle();
        const asNobody = (groups: string[]) =>
          runCli(['credential-process', '--cache', '--certificate', certificate, '--private-key', key, ...scenario.sessionFlags()], {
            env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: cache },
            via: ['setpriv', '--reuid=65534', '--regid=65534', ...groups],
          });
        for (let i = 0; i < 3; i++) expectIssued(await asNobody(['--groups=4242']));
        expect(shortcutsIn(cache)).toHaveLength(1);
        const result = await asNobody(['--clear-groups']);
        expect(result).toMatchObject({ code: 1, stdout: '' });
        expect(result.stderr).toMatch(/unable to read certificate .*cert\.pem: permission denied/);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });

    it('is not followed once a password file it read may be read by others: the full check refuses it as it would', async () => {
      const folder = cacheFolder();
      const passwordFile = scenario.workspace.write('shortcut-password', 'secret\n');
      chmodSync(passwordFile, 0o600);
      await settle();
      const args = ['--certificate', leaf.certPath, '--private-key', encrypted, '--pkcs8-password-file', passwordFile];
      for (let i = 0; i < 3; i++) expectIssued(await cached(folder, args));
      expect(shortcutsIn(folder)).toHaveLength(1);
      chmodSync(passwordFile, 0o644);
      const result = await cached(folder, args);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toContain(`unable to read PKCS#8 password from --pkcs8-password-file ${passwordFile}: it is readable by its group and others (mode 0644)`);
    });

    it('is not followed once the --intermediates file it read is gone: the full check names the chain as it would (mutation testing)', async () => {
      const chain = scenario.workspace.write('shortcut-chain.pem', '');
      const { folder } = await withShortcut(['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--intermediates', chain]);
      rmSync(chain);
      const result = await cached(folder, ['--certificate', leaf.certPath, '--private-key', leaf.keyPath, '--intermediates', chain]);
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(errorLine(result)).toBe(`unable to read certificate bundle ${chain}: no such file or directory`);
    });

    it('is not left for a password on the command line, nor for a certificate read from a variable', async () => {
      const folder = cacheFolder();
      for (const password of [['--pkcs8-password', 'secret'], ['--pkcs8-password=secret']]) {
        const withPassword = ['--certificate', leaf.certPath, '--private-key', encrypted, ...password];
        expectIssued(await cached(folder, withPassword));
        expectIssued(await cached(folder, withPassword));
      }
      const fromVariable = ['--certificate', 'env:SHORTCUT_CERT', '--private-key', leaf.keyPath];
      expectIssued(await cached(folder, fromVariable, { SHORTCUT_CERT: readFileSync(leaf.certPath, 'utf8') }));
      expectIssued(await cached(folder, fromVariable, { SHORTCUT_CERT: readFileSync(leaf.certPath, 'utf8') }));
      expect(entries(folder)).toHaveLength(1);
      expect(shortcutsIn(folder)).toEqual([]);
      for (const name of readdirSync(join(folder, 'credentials'))) expect(readFileSync(join(folder, 'credentials', name), 'utf8')).not.toContain('secret"');
    });
  });

  it('the AWS SDK for JavaScript v3 fromProcess() with credential_process = … --cache, 10 times: one CreateSession', async () => {
    const folder = cacheFolder();
    const command = cliCommandLine(['credential-process', '--cache', '--certificate', leaf.certPath,
      '--private-key', leaf.keyPath, ...scenario.sessionFlags()]);
    const config = scenario.workspace.write('cache-config', `[profile cached]\ncredential_process = ${command}\n`);
    const before = scenario.emulator.issued.length;
    const keys = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const provider = fromProcess({ profile: 'cached', configFilepath: config, filepath: scenario.workspace.write('cache-credentials', '') });
      await withEnv({ ROLES_ANYWHERE_HELPER_CACHE_DIR: folder }, async () => { // the SDK runs the process with this process's environment
        keys.add((await provider()).accessKeyId);
      });
    }
    expect(scenario.emulator.issued.length).toBe(before + 1);
    expect(keys.size).toBe(1);
    rmSync(folder, { recursive: true, force: true });
  });
});

describe('cache clear', () => {
  it('drops every entry, and the shortcuts to it', async () => {
    const folder = cacheFolder();
    expectIssued(await cached(folder));
    expectIssued(await cached(folder));
    expect(entries(folder)).toHaveLength(1);
    expect(shortcutsIn(folder)).toHaveLength(1);
    const result = await runCli(['cache', 'clear'], { env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder } });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/removed 1 cached set of credentials from .*credentials\n$/);
    expect(readdirSync(join(folder, 'credentials'))).toEqual([]);
    const before = scenario.emulator.issued.length;
    expectIssued(await cached(folder));
    expect(scenario.emulator.issued.length).toBe(before + 1);
  });
});
