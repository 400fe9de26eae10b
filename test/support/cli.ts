import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { shWord } from './shWord.js';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = join(projectRoot, 'bin/aws_signing_helper.cjs');

/**
 * The CLI run with `args`, as a shell command line: for `script -c` or a shell, and for a profile's
 * credential_process, which the SDKs run through a shell (JavaScript, Ruby) or split as one (botocore).
 */
export function cliCommandLine(args: readonly string[]): string {
  return [process.execPath, cliPath, ...args].map(shWord).join(' ');
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
  /** Wall time of the run. */
  readonly ms: number;
}

export interface CliOptions {
  /** Added to a clean environment (no AWS_*, proxy or Node variables of the test runner). */
  readonly env?: Record<string, string | undefined>;
  readonly input?: string | Buffer;
  readonly timeoutMs?: number;
  /**
   * Run in a new session (setsid), without a controlling terminal even when the tests have one, as cron,
   * CI or an SDK run the helper: a prompt cannot reach anyone there and must fail at once.
   */
  readonly withoutTerminal?: boolean;
  /** The CLI script to run (default: this checkout's bin/aws_signing_helper.cjs), e.g. another build's copy. */
  readonly program?: string;
  /** A command to run node through, e.g. setpriv (another user) or unshare (a mount namespace of its own). */
  readonly via?: readonly string[];
  /** The Node binary (default: the one running the tests), e.g. another major's (scripts/nodeBinary.mjs). */
  readonly node?: string;
  /** The working folder (default: the tests'). */
  readonly cwd?: string;
}

/** Where child CLIs keep their code cache (bin/aws_signing_helper.cjs), rather than the tester's ~/.cache. */
const testCacheDir = join(tmpdir(), 'rah-test-cache');

/** The environment a child CLI gets: PATH, HOME and the test cache folder only, plus what the test adds. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ROLES_ANYWHERE_HELPER_CACHE_DIR: testCacheDir };
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

/** Runs the built CLI as a child process (asynchronously, so an in-process emulator can answer it). */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const command = [...(options.via ?? []), options.node ?? process.execPath, options.program ?? cliPath, ...args];
    const child = spawn(command[0]!, command.slice(1), { env: cleanEnv(options.env), stdio: 'pipe', detached: options.withoutTerminal, cwd: options.cwd });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(stdout);
      resolve({ code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(stderr).toString('utf8'), ms: Date.now() - started });
    });
    // A command that refuses its flags may exit before its input is written: the pipe's EPIPE is no failure.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** A failed command: exit code 1, nothing on stdout, one log line on stderr; returns that line's message. */
export function failureMessage(result: CliResult): string {
  expect(result.stdout).toBe('');
  expect(result.code).toBe(1);
  return errorLine(result);
}

/** The message of the single log line a failing command writes (the `YYYY/MM/DD HH:MM:SS ` prefix removed). */
export function errorLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter(Boolean);
  if (lines.length !== 1) throw new Error(`expected one stderr line, got ${lines.length}:\n${result.stderr}`);
  const match = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} (.*)$/.exec(lines[0]!);
  if (!match) throw new Error(`not a log line: ${lines[0]}`);
  return match[1]!;
}

/** The log lines a command wrote to stderr, each without its `YYYY/MM/DD HH:MM:SS ` prefix. */
export function logLines(stderr: string): string[] {
  return stderr.trimEnd().split('\n').map((line) => line.replace(/^\S+ \S+ /, ''));
}

/** A command that failed as the helper should: nothing on stdout, exit code 1, one log line with this message. */
export function expectFailure(result: CliResult, message: string | RegExp): void {
  expect(result.stdout).toBe('');
  expect(result.code).toBe(1);
  if (typeof message === 'string') expect(errorLine(result)).toBe(message);
  else expect(errorLine(result)).toMatch(message);
}
