import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('the demo (scripts/demo.mjs, what the README\'s first command runs after its set-up)', () => {
  it('runs every step against the emulator, and prints no warning of the SDK it uses (QA: seven lines of it on Node 20)', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(root, 'scripts/demo.mjs')], { cwd: root, timeout: 60_000 });
    expect(stdout).toContain('→ the emulator verified the signature and the chain, and issued ASIA');
    expect(stdout).toContain('→ 1 CreateSession for 3 runs');
    expect(stdout).toMatch(/ →\n {2}arn:aws:sts::123456789012:assumed-role\/demo-role\//);
    expect(stdout).toMatch(/"Code":"Success","Type":"AWS-HMAC"/);
    expect(stdout).toMatch(/\[demo\]\naws_access_key_id = ASIA/);
    expect(stdout).toContain('Done.');
    // serve's start-up lines are the only ones on standard error.
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/ Local server started on port: \d+$/),
      expect.stringMatching(/ Make it available to the sdk by running:$/),
      expect.stringMatching(/ export AWS_EC2_METADATA_SERVICE_ENDPOINT=http:\/\/127\.0\.0\.1:\d+\/$/),
    ]);
    if (Number(process.versions.node.split('.')[0]) < 22) expect(stdout).toContain('releases after the first week of January 2027 need Node 22');
  });

  it('interrupted (Ctrl-C) while serve runs, ends serve and removes its folder, which holds a key and credentials (QA: both left)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'demo-interrupted-'));
    // Its own process group, for anything it leaves running to be ended after the test.
    const demo = spawn(process.execPath, [join(root, 'scripts/demo.mjs')], { cwd: root, env: { ...process.env, TMPDIR: folder }, detached: true });
    try {
      const exited = new Promise<number | null>((resolve) => demo.on('close', (code) => resolve(code)));
      const port = await new Promise<number>((resolve, reject) => {
        let log = '';
        demo.stderr.on('data', (chunk) => {
          log += chunk;
          const match = /AWS_EC2_METADATA_SERVICE_ENDPOINT=http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
          if (match) resolve(Number(match[1]));
        });
        demo.on('close', () => reject(new Error(`the demo ended before serve started: ${log}`)));
      });
      expect(readdirSync(folder)).toHaveLength(1);
      demo.kill('SIGINT'); // the demo alone: a terminal's Ctrl-C would reach serve too
      expect(await exited).toBe(130);
      expect(readdirSync(folder)).toEqual([]);
      // serve ends (on its SIGTERM, it finishes what it answers first): its port refuses connections.
      const refused = () =>
        new Promise<boolean>((resolve) => {
          const socket = connect(port, '127.0.0.1');
          socket.on('connect', () => (socket.destroy(), resolve(false))).on('error', () => resolve(true));
        });
      for (let tries = 0; tries < 100 && !(await refused()); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await refused()).toBe(true);
    } finally {
      try {
        process.kill(-demo.pid!, 'SIGKILL');
      } catch {
        // all ended
      }
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.runIf(process.getuid?.() === 0)('fails in one line where its files cannot be written, and leaves nothing (QA: a stack trace, and its folder left)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'demo-full-'));
    // Two inodes: the tmpfs's root and the demo's folder; its first file gets none.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,nr_inodes=2', 'tmpfs', folder]);
    try {
      const result = await promisify(execFile)(process.execPath, [join(root, 'scripts/demo.mjs')], { cwd: root, env: { ...process.env, TMPDIR: folder }, timeout: 60_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^demo: ENOSPC: no space left on device, open '[^\n]+\/workload-cert\.pem'\n$/);
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      execFileSync('umount', [folder]);
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
