import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, cliPath, runCli } from '../support/cli.js';
import { Scenario, type LeafFiles } from '../support/scenario.js';

let scenario: Scenario;
let leaf: LeafFiles;
beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('stdout');
});
afterAll(async () => scenario.stop());

/** Runs the CLI with `args` under a Python script that hands it a pipe (its argv), and reads what the script reports. */
const throughPython = (script: string) => async (args: readonly string[], env: Record<string, string> = {}) => {
  const { stdout } = await promisify(execFile)('python3', ['-c', script, process.execPath, cliPath, ...args], { env: cleanEnv(env) });
  return JSON.parse(stdout) as { code: number; stderr: string };
};
const credentialProcess = () => ['credential-process', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()];

// The CLI writes its output with write(2) (src/stdio.ts). A parent may hand it a non-blocking pipe; when
// that pipe is full, the rest must still arrive whole, in order, before the process exits.
const FULL_NONBLOCKING_PIPE = `
import json, os, subprocess, sys, time
r, w = os.pipe()
os.set_blocking(w, False)
filler = 0
try:
    while True:
        filler += os.write(w, b"x" * 4096)
except BlockingIOError:
    pass
child = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
os.close(w)
time.sleep(0.3)  # the child finds the pipe full, and must wait rather than lose or reorder output
os.set_blocking(r, True)
data = b""
while True:
    chunk = os.read(r, 65536)
    if not chunk:
        break
    data += chunk
code = child.wait()
json.dump({'code': code, 'filler': data[:filler] == b'x' * filler, 'output': data[filler:].decode(), 'stderr': child.stderr.read().decode()}, sys.stdout)
`;

describe('output to a full non-blocking pipe', () => {
  it('arrives whole once the reader drains the pipe, and the exit waits for it', () => {
    const result = execFileSync('python3', ['-c', FULL_NONBLOCKING_PIPE, process.execPath, cliPath, 'help', 'credential-process'], {
      env: cleanEnv(),
      encoding: 'utf8',
    });
    const expected = execFileSync(process.execPath, [cliPath, 'help', 'credential-process'], { env: cleanEnv(), encoding: 'utf8' });
    expect(expected.length).toBeGreaterThan(2000);
    expect(JSON.parse(result)).toEqual({ code: 0, filler: true, output: expected, stderr: '' });
  });
});

// A pipe whose reader is gone before the child writes (`| head` that has read enough, `| true`): write(2) fails with EPIPE.
const CLOSED_PIPE = `
import json, os, subprocess, sys
r, w = os.pipe()
os.close(r)
child = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
json.dump({'code': child.returncode, 'stderr': child.stderr.decode()}, sys.stdout)
`;

const intoClosedPipe = throughPython(CLOSED_PIPE);

describe('output to a pipe nobody reads any more', () => {
  it('exit code 1, nothing on stderr: no stack trace, no "internal error"', async () => {
    expect(await intoClosedPipe(['help'])).toEqual({ code: 1, stderr: '' });
    expect(await intoClosedPipe(credentialProcess())).toEqual({ code: 1, stderr: '' });
  });

  it('with --debug, one line says why', async () => {
    const { code, stderr } = await intoClosedPipe([...credentialProcess(), '--debug']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/\n\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d standard output is closed \(EPIPE\): the output was not written\n$/);
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

// A full non-blocking pipe whose reader leaves while the child waits to write the rest (EAGAIN, then EPIPE
// through the stream the rest went to).
const FULL_PIPE_THEN_CLOSED = `
import json, os, subprocess, sys, time
r, w = os.pipe()
os.set_blocking(w, False)
try:
    while True:
        os.write(w, b"x" * 4096)
except BlockingIOError:
    pass
child = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
os.close(w)
time.sleep(0.5)  # the child finds the pipe full and hands the rest to the stream
os.close(r)
code = child.wait()
json.dump({'code': code, 'stderr': child.stderr.read().decode()}, sys.stdout)
`;

const intoFullPipeThenClosed = throughPython(FULL_PIPE_THEN_CLOSED);

describe('output to a full pipe whose reader then leaves', () => {
  it('exit code 1, nothing on stderr', async () => {
    expect(await intoFullPipeThenClosed(['help', 'credential-process'])).toEqual({ code: 1, stderr: '' });
  });
});

describe('credential-process --cache answered from the cache (the bin writes the output itself)', () => {
  it.each([
    ['a pipe nobody reads any more', intoClosedPipe],
    ['a full pipe whose reader then leaves', intoFullPipeThenClosed],
  ])('into %s: exit code 1, nothing on stderr', async (name, into) => {
    const env = { ROLES_ANYWHERE_HELPER_CACHE_DIR: scenario.workspace.path(`cache-${name.replace(/\W+/g, '-')}`) };
    const args = [...credentialProcess(), '--cache'];
    expect((await runCli(args, { env })).code).toBe(0);
    const before = scenario.emulator.issued.length;
    expect(await into(args, env)).toEqual({ code: 1, stderr: '' });
    expect(scenario.emulator.issued.length).toBe(before); // a cache hit
  });
});

// Standard output on a full device: write(2) fails with ENOSPC, as on a full disk.
const FULL_DEVICE = `
import json, subprocess, sys
with open('/dev/full', 'wb') as full:
    child = subprocess.run(sys.argv[1:], stdout=full, stderr=subprocess.PIPE)
json.dump({'code': child.returncode, 'stderr': child.stderr.decode()}, sys.stdout)
`;

const intoFullDevice = throughPython(FULL_DEVICE);
const NO_SPACE = 'unable to write to standard output: no space left on device';
/** A text log line, `YYYY/MM/DD HH:MM:SS message`, and the length of what comes before its message. */
const LOG_LINE = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d [^\n]+\n$/;
const LOG_LINE_PREFIX = 'YYYY/MM/DD HH:MM:SS '.length;

describe('output to a full device (/dev/full)', () => {
  it('exit code 1, and one line that says so (not an "internal error")', async () => {
    const result = await intoFullDevice(credentialProcess());
    expect(result).toEqual({ code: 1, stderr: expect.stringMatching(LOG_LINE) });
    expect(result.stderr.slice(LOG_LINE_PREFIX)).toBe(`${NO_SPACE}\n`);
  });

  it('the same from a cache hit, by the full check and by the shortcut, in text and JSON', async () => {
    const env = { ROLES_ANYWHERE_HELPER_CACHE_DIR: scenario.workspace.path('cache-full-device') };
    const args = [...credentialProcess(), '--cache'];
    expect((await runCli(args, { env })).code).toBe(0);
    const before = scenario.emulator.issued.length;
    const shortcuts = () => readdirSync(join(env.ROLES_ANYWHERE_HELPER_CACHE_DIR, 'credentials')).filter((name) => name.endsWith('.shortcut'));
    for (const hit of ['full check', 'shortcut']) {
      expect({ hit, shortcuts: shortcuts().length }).toEqual({ hit, shortcuts: hit === 'shortcut' ? 1 : 0 });
      const { code, stderr } = await intoFullDevice(args, env);
      expect({ hit, code, stderr }).toEqual({ hit, code: 1, stderr: expect.stringMatching(LOG_LINE) });
      expect(stderr.slice(LOG_LINE_PREFIX)).toBe(`${NO_SPACE}\n`);
    }
    const json = await intoFullDevice([...args, '--log-format', 'json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toEqual({ time: expect.any(String), level: 'error', message: NO_SPACE, command: 'credential-process' });
    expect(scenario.emulator.issued.length).toBe(before); // cache hits
  });
});
