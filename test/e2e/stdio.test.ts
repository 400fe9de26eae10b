import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cleanEnv, cliPath } from '../support/cli.js';

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
