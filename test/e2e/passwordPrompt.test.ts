import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shWord } from '../support/shWord.js';
import { cleanEnv, cliCommandLine, cliPath } from '../support/cli.js';
import { runCliOnTerminal, typeOnTerminal } from '../support/terminal.js';
import { Scenario, openssl, type LeafFiles } from '../support/scenario.js';

let scenario: Scenario;
let leaf: LeafFiles;
let encryptedKey: string;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('prompted');
  encryptedKey = scenario.workspace.write('enc.pem', openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', 'aes-256-cbc', '-passout', 'pass:open sesame']));
});
afterAll(async () => scenario.stop());

const args = () => ['credential-process', '--certificate', leaf.certPath, '--private-key', encryptedKey, ...scenario.sessionFlags()];

describe('the PKCS#8 password prompt on the terminal', () => {
  it('asks on the terminal when no password is given, without echoing it', async () => {
    const { code, output } = await runCliOnTerminal(args(), ['open sesame']);
    expect(code).toBe(0);
    expect(output).toContain('Please enter your PKCS#8 private key password:');
    expect(output).not.toContain('open sesame');
    expect(output).toContain(`"AccessKeyId":"${scenario.emulator.issued.at(-1)!.accessKeyId}"`);
  });

  it('asks again after a wrong password', async () => {
    const { code, output } = await runCliOnTerminal(args(), ['wrong', 'open sesame']);
    expect(code).toBe(0);
    expect(output).toContain('Incorrect PKCS#8 private key password. Please try again:');
    expect(output).toContain(`"AccessKeyId":"${scenario.emulator.issued.at(-1)!.accessKeyId}"`);
  });

  it('refuses what a terminal not set to UTF-8 sends (a Latin-1 é), rather than try it as another password', async () => {
    const { code, output } = await runCliOnTerminal(args(), [Buffer.from('op\xe9n', 'latin1')]);
    expect(code).toBe(1);
    expect(output).toContain('unable to use the secret typed: it is not UTF-8 text (set the terminal to UTF-8, or give it another way)');
    expect(output).not.toContain('Please try again');
    expect(output).not.toContain('AccessKeyId');
  });

  it("starts the password again on Ctrl-U, as a terminal's own line editing does", async () => {
    const { code, output } = await runCliOnTerminal(args(), ['wrong\u0015open sesame']);
    expect(code).toBe(0);
    expect(output).not.toContain('Please try again');
    expect(output).toContain(`"AccessKeyId":"${scenario.emulator.issued.at(-1)!.accessKeyId}"`);
  });

  it('rubs out the last character typed on Backspace, whichever a terminal sends for it (DEL or Ctrl-H) (mutation testing: untested)', async () => {
    for (const typed of ['open sesamx\u007fe', 'open sesaxx\b\bme']) {
      const { code, output } = await runCliOnTerminal(args(), [typed]);
      expect(code).toBe(0);
      expect(output).not.toContain('Please try again');
      expect(output).toContain(`"AccessKeyId":"${scenario.emulator.issued.at(-1)!.accessKeyId}"`);
    }
  });

  it('ends the password on a line feed (Ctrl-J, or a pasted line) as on Enter, rather than take the line feed into it (mutation testing: untested)', async () => {
    const { code, output } = await runCliOnTerminal(args(), ['open sesame\n']);
    expect(code).toBe(0);
    expect(output).not.toContain('Please try again');
    expect(output).toContain(`"AccessKeyId":"${scenario.emulator.issued.at(-1)!.accessKeyId}"`);
  });

  // The terminal is in raw mode at the prompt, so these keys arrive as characters; the reference (Go's
  // term.ReadPassword) leaves the terminal's signals on, and they end or stop it.
  it('ends of SIGINT on Ctrl-C, and of SIGQUIT on Ctrl-\\, the terminal put back (QA: "interrupted", exit 1)', async () => {
    for (const [key, status] of [['\u0003', 130], ['\u001c', 131]] as const) {
      const shell = `${cliCommandLine(args())} 2>&1; echo "status:$?"; echo "settings: $(stty -a)"`;
      const { output } = await typeOnTerminal(shell, [{ after: 'Please enter', keys: key }]);
      expect(output).toContain(`status:${status}`);
      expect(output).not.toContain('unable to');
      expect(/settings: (.*)/s.exec(output)?.[1]).toMatch(/(^|\s)echo\s/);
    }
  });

  it('ends quietly with 130 on Ctrl-C in the commands that handle signals themselves, its cache lock let go (mutation testing: only a plain credential-process did)', async () => {
    const keyFlags = ['--certificate', leaf.certPath, '--private-key', encryptedKey, ...scenario.sessionFlags()];
    const cacheFolder = scenario.workspace.path('interrupted-cache');
    const env = { ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheFolder, AWS_SHARED_CREDENTIALS_FILE: scenario.workspace.path('interrupted-credentials') };
    for (const command of [['credential-process', '--cache'], ['update', '--once'], ['update'], ['serve', '--port', '0']]) {
      const shell = `${cliCommandLine([...command, ...keyFlags])} 2>&1; echo "status:$?"`;
      const { output } = await typeOnTerminal(shell, [{ after: 'Please enter', keys: '\u0003' }], env);
      expect(output, command.join(' ')).toMatch(/Please enter your PKCS#8 private key password:\s+status:130\s*$/);
    }
    expect(readdirSync(join(cacheFolder, 'credentials'))).toEqual([]);
  });

  it('ends with 130 on Ctrl-C in credential-process --cache whose entry is due for refresh, not hand that entry out (review)', async () => {
    const cacheArgs = ['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', encryptedKey, ...scenario.sessionFlags()];
    const folder = scenario.workspace.path('due-cache');
    const shell = `${cliCommandLine(cacheArgs)} 2>&1; echo "status:$?"`;
    const stored = await typeOnTerminal(shell, [{ after: 'Please enter', keys: 'open sesame\r' }], { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder });
    expect(stored.output).toContain('status:0');
    // The entry, 46 minutes later: still valid, and within the cache's 15 minutes of refresh.
    const [entry] = readdirSync(join(folder, 'credentials')).filter((name) => name.endsWith('.json'));
    const path = join(folder, 'credentials', entry!);
    const written = JSON.parse(readFileSync(path, 'utf8'));
    written.credentials.Expiration = new Date(Date.now() + 14 * 60_000).toISOString();
    writeFileSync(path, JSON.stringify(written));
    const { output } = await typeOnTerminal(shell, [{ after: 'Please enter', keys: '\u0003' }], { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder });
    expect(output).toMatch(/Please enter your PKCS#8 private key password:\s+status:130\s*$/);
  });

  it("asks for serve's roles' keys one at a time, not at once on one terminal, where either prompt read what was typed (review)", async () => {
    const other = scenario.workspace.write('enc-other.pem', openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', 'aes-256-cbc', '-passout', 'pass:other one']));
    const roles = scenario.workspace.write('prompted-roles.json', JSON.stringify({ roles: [{ name: 'first' }, { name: 'second', certificate: leaf.certPath, 'private-key': other }] }));
    const serve = ['serve', '--debug', '--port', '0', '--certificate', leaf.certPath, '--private-key', encryptedKey, ...scenario.sessionFlags(), '--roles-file', roles];
    // Each key's source says it opens (a debug line) before its prompt; the first password is typed once the second has opened.
    const opens = 'attempting to use FileSystemSigner\r\n';
    const { output } = await typeOnTerminal(`${cliCommandLine(serve)} 2>&1; echo "status:$?"`, [
      { after: opens, keys: '' },
      { after: opens, keys: 'open sesame\r' },
      { after: 'Please enter', keys: 'other one\r' },
      { after: 'Local server started', keys: '\u0003' }, // serve's own Ctrl-C, the terminal no longer raw
    ]);
    // What follows the second key's opening is the end of the first prompt's line, not the second prompt.
    const second = output.indexOf(opens, output.indexOf(opens) + 1);
    expect(output.slice(second + opens.length).startsWith('\r\n'), output.slice(second, second + 200)).toBe(true);
    expect(output).not.toContain('Incorrect');
    expect(output).toContain('Local server started');
  });

  it("asks again for a key serve reads renewed under another password, and takes one renewed without a password, rather than try the one typed as if given with --pkcs8-password (QA)", async () => {
    const shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 4 });
    const key = scenario.workspace.write('renewed-asked.pem', readFileSync(encryptedKey));
    const flags = ['--certificate', leaf.certPath, '--private-key', key, ...scenario.sessionFlags(shortLived.url)];
    const refreshed = async () => {
      const before = shortLived.issued.length;
      await expect.poll(() => shortLived.issued.length, { timeout: 10_000, interval: 100 }).toBeGreaterThan(before);
    };
    // Each refresh waited for, after the answer and after the key is renewed again, would time out on a failure.
    const { output } = await typeOnTerminal(`${cliCommandLine(['serve', '--port', '0', ...flags])} 2>&1`, [
      { after: 'Please enter', keys: 'open sesame\r' },
      { after: 'Local server started', keys: () => (writeFileSync(key, openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', 'aes-256-cbc', '-passout', 'pass:renewed'])), '') },
      { after: 'The private key file has changed, and the password typed before does not open it. Please enter its PKCS#8 private key password:', keys: 'renewed\r' },
      {
        after: '',
        keys: async () => {
          await refreshed();
          writeFileSync(key, readFileSync(leaf.keyPath));
          await refreshed();
          await refreshed();
          return '\u0003'; // serve's own Ctrl-C, the terminal no longer raw
        },
      },
    ]);
    expect(output.split('Please').length - 1).toBe(2);
    expect(output).not.toMatch(/given with|Error/);
  }, 40_000);

  it('stops serve and update, as their own Ctrl-C does, on Ctrl-C at a prompt that comes while they run (a key renewed under another password), rather than log a failed refresh and ask again at the retry', async () => {
    const shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 4 });
    const env = { AWS_SHARED_CREDENTIALS_FILE: scenario.workspace.path('renewed-credentials') };
    for (const [command, started] of [[['serve', '--port', '0'], 'Local server started'], [['update'], 'Credentials will be refreshed']] as const) {
      const key = scenario.workspace.write(`renewed-${command[0]}.pem`, readFileSync(encryptedKey));
      const renew = () => {
        writeFileSync(key, openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', 'aes-256-cbc', '-passout', 'pass:renewed']));
        return '';
      };
      const flags = ['--certificate', leaf.certPath, '--private-key', key, ...scenario.sessionFlags(shortLived.url)];
      const { output } = await typeOnTerminal(`${cliCommandLine([...command, ...flags])} 2>&1; echo "status:$?"`, [
        { after: 'Please enter', keys: 'open sesame\r' },
        { after: started, keys: renew },
        { after: /Please (enter|try again)/, keys: '\u0003' },
      ], env);
      expect(output, command[0]).toMatch(/status:0\s*$/);
      expect(output, command[0]).not.toMatch(/interrupted|retrying/);
    }
  });

  it('stops on Ctrl-Z with the terminal put back, and asks again once continued (fg), as OpenSSH does', async () => {
    const shell = `set -m; ${cliCommandLine(args())}; echo "status:$?"; echo "settings: $(stty -a)"; fg`;
    // The line typed before the stop is dropped; the prompt shown again after fg is when echo is off again.
    const { output } = await typeOnTerminal(shell, [
      { after: 'Please enter', keys: 'open \u001a' },
      { after: 'Please enter', keys: 'open sesame\r' },
    ]);
    expect(output).toContain('status:148');
    expect(/settings: (.*)/s.exec(output)?.[1]).toMatch(/(^|\s)echo\s/);
    expect(output).not.toContain('sesame');
    expect(output).toContain(`"AccessKeyId":"${scenario.emulator.issued.at(-1)!.accessKeyId}"`);
  });

  it('stops on Ctrl-Z the program that ran it too (an SDK running credential_process), as the terminal\'s own Ctrl-Z does, so that the shell gets its prompt back (review: the helper alone stopped, its parent waiting on it)', async () => {
    // A parent that waits for the helper, as the AWS CLI waits for its credential_process.
    const parent = `require('node:child_process').spawnSync(process.argv[1], process.argv.slice(2), { stdio: 'inherit' }); console.log('parent ends');`;
    const shell = `set -m; ${[process.execPath, '-e', parent, process.execPath, cliPath, ...args()].map(shWord).join(' ')}; echo "status:$?"; fg`;
    const { output } = await typeOnTerminal(shell, [
      { after: 'Please enter', keys: 'open \u001a' },
      { after: 'Please enter', keys: 'open sesame\r' },
    ]);
    expect(output).toContain('status:148');
    expect(output).toContain(`"AccessKeyId":"${scenario.emulator.issued.at(-1)!.accessKeyId}"`);
    expect(output).toContain('parent ends');
  });

  it('takes no Ctrl-Z into the password where it cannot stop (no job control), but starts the line again', async () => {
    const { code, output } = await runCliOnTerminal(args(), ['wrong\u001aopen sesame']);
    expect(code).toBe(0);
    expect(output).toContain(`"AccessKeyId":"${scenario.emulator.issued.at(-1)!.accessKeyId}"`);
  });

  it('takes Ctrl-D as the end of input: no password, said so, and no other password asked for', async () => {
    const { code, output } = await runCliOnTerminal(args(), ['\u0004']);
    expect(code).toBe(1);
    expect(output).toMatch(/unable to ask for it: end of input\r?\n/);
    expect(output).not.toContain('Please try again');
  });

  it('gives up after three wrong passwords', async () => {
    const { code, output } = await runCliOnTerminal(args(), ['a', 'b', 'c']);
    expect(code).toBe(1);
    expect(output).toContain(`unable to parse private key ${encryptedKey}: wrong password for encrypted PKCS#8 key`);
    expect(output).not.toContain('AccessKeyId');
  });

  it.each([
    ['SIGHUP', '', 129],
    ['SIGHUP', ' --cache', 129],
    // Node puts the terminal back on these only where no one listens for them: --cache's lock does (QA: a
    // caller's timeout left the terminal with echo off).
    ['SIGTERM', ' --cache', 143],
    ['SIGINT', ' --cache', 130],
  ] as const)('puts the terminal back when a %s ends credential-process%s at the prompt (QA: left with echo off; with --cache, left asking, echo on)', async (signal, cache, status) => {
    // The shell after it runs on the same terminal, and prints its settings as they were left.
    const shell = `${cliCommandLine(args())}${cache} </dev/null >/dev/null & echo "pid:$!"; wait $!; echo "status:$?"; echo "settings: $(stty -a)"`;
    const cacheDir = scenario.workspace.path('hangup-cache');
    const child = spawn('script', ['-qec', `sh -c ${shWord(shell)}`, '/dev/null'], { env: cleanEnv({ ROLES_ANYWHERE_HELPER_CACHE_DIR: cacheDir }), stdio: 'pipe' });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const prompted = output.includes('Please enter');
      output += chunk.toString('utf8');
      if (!prompted && output.includes('Please enter')) process.kill(Number(/pid:(\d+)/.exec(output)![1]), signal);
    });
    await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    // Asked, then ended of the signal (128 + its number): else the settings below were never changed (review: a
    // helper that failed before its prompt passed).
    expect(output).toMatch(new RegExp(`Please enter[^]*status:${status}\\r?\\n`));
    const settings = /settings: (.*)/s.exec(output)?.[1] ?? '';
    expect(settings).toMatch(/(^|\s)echo\s/);
    expect(settings).toMatch(/(^|\s)icanon\s/);
    if (cache) expect(readdirSync(join(cacheDir, 'credentials')).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });

  it('dies of a hang-up quietly when the terminal itself goes away at the prompt (an SSH session lost), as before the SIGHUP handler', async () => {
    // The helper leads the terminal's session: closing the terminal's other end (killing script) hangs it up.
    const stderr = scenario.workspace.write('hangup.stderr', '');
    const shell = `echo pid:$$; exec ${cliCommandLine(args())} 2>${shWord(stderr)}`;
    const child = spawn('script', ['-qec', `sh -c ${shWord(shell)}`, '/dev/null'], { env: cleanEnv({}), stdio: 'pipe' });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Please enter')) resolve();
    }));
    const pid = Number(/pid:(\d+)/.exec(output)![1]);
    child.kill('SIGKILL');
    clearTimeout(timer);
    // Gone, or a zombie its new parent has not reaped yet.
    const alive = () => { try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; } };
    await expect.poll(alive, { timeout: 15_000, interval: 100 }).toBe(false);
    expect(readFileSync(stderr, 'utf8')).toBe('');
  });
  it('ends when the program that ran it is killed at the prompt, letting go of the cache entry\'s lock (QA: left waiting for ever, every later run waiting 33 s on it)', async () => {
    // A parent (an SDK running credential_process) killed alone; the shell and its terminal stay.
    const cache = scenario.workspace.path('orphan-cache');
    const parent = `const c = require('node:child_process').spawn(process.argv[1], process.argv.slice(2), { stdio: ['inherit', 'pipe', 'inherit'] });
      console.log('pids:' + process.pid + ':' + c.pid); c.stdout.resume();`;
    const helper = [process.execPath, cliPath, ...args(), '--cache'];
    const shell = `${[process.execPath, '-e', parent, ...helper].map(shWord).join(' ')}; sleep 30`;
    const child = spawn('script', ['-qec', `sh -c ${shWord(shell)}`, '/dev/null'], { env: cleanEnv({ ROLES_ANYWHERE_HELPER_CACHE_DIR: cache }), stdio: 'pipe' });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (/pids:\d+:\d+/.test(output) && output.includes('Please enter')) resolve();
      }));
      const [, parentPid, helperPid] = /pids:(\d+):(\d+)/.exec(output)!.map(Number);
      expect(readdirSync(join(cache, 'credentials')).some((name) => name.endsWith('.lock'))).toBe(true);
      process.kill(parentPid!, 'SIGKILL');
      // Gone, or a zombie its new parent has not reaped yet.
      const alive = () => { try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${helperPid}/stat`, 'utf8')); } catch { return false; } };
      await expect.poll(alive, { timeout: 15_000, interval: 100 }).toBe(false);
      expect(readdirSync(join(cache, 'credentials')).filter((name) => name.endsWith('.lock'))).toEqual([]);
      // Quietly, as a hang-up ends it: no one is left to read why.
      expect(output).not.toMatch(/unable to|error/);
    } finally {
      clearTimeout(timer);
      child.kill('SIGKILL');
    }
  });
});
