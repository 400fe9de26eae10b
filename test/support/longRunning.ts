import { spawn, type ChildProcess } from 'node:child_process';
import { cleanEnv, cliPath } from './cli.js';

/** A long-running CLI command (serve, update, emulator) as a child process, with its output collected. */
export interface RunningCommand {
  readonly child: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Resolves with the first match of `pattern` in stderr, or stdout (rejects if the process ends first or time runs out). */
  waitFor(pattern: RegExp, timeoutMs?: number, stream?: 'stderr' | 'stdout'): Promise<RegExpMatchArray>;
  /** Resolves with the exit code. */
  exited(): Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * With `input`, the command's standard input holds it (else it is /dev/null). `via`: a command to run node
 * through, which must exec it (`sh -c 'umask 0777 && exec "$@"' sh`), as runCli's.
 */
export function startCommand(args: readonly string[], env: Record<string, string | undefined> = {}, input?: string | Buffer, via: readonly string[] = []): RunningCommand {
  const [program, ...programArgs] = [...via, process.execPath, cliPath, ...args] as [string, ...string[]];
  const child = spawn(program, programArgs, { env: cleanEnv(env), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  child.stdin?.end(input);
  let stderr = '';
  let stdout = '';
  const listeners = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    waitFor: (pattern, timeoutMs = 20_000, stream = 'stderr') =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stream === 'stderr' ? stderr : stdout);
          if (!match) return;
          done();
          resolve(match);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${pattern}; stdout so far:\n${stdout}\nstderr so far:\n${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exit.then((code) => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`exited with ${code} before ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`));
        });
        check();
      }),
    exited: () => exit,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exit;
    },
  };
}

/** Starts `serve` on an ephemeral port and resolves once it listens. */
export async function startServe(args: readonly string[], env: Record<string, string | undefined> = {}, input?: string | Buffer) {
  const command = startCommand(['serve', '--port', '0', ...args], env, input);
  const [, port] = await command.waitFor(/Local server started on port: (\d+)[^]*AWS_EC2_METADATA_SERVICE_ENDPOINT=.*\n/);
  return { ...command, port: Number(port), url: `http://127.0.0.1:${port}` };
}

/**
 * Starts `serve --ecs` on an ephemeral port and resolves once it listens, with the two variables it printed
 * for clients: the first role's URL and the token file.
 */
export async function startEcsServe(args: readonly string[], env: Record<string, string | undefined> = {}) {
  const command = startCommand(['serve', '--ecs', '--port', '0', ...args], env);
  const [, port, fullUri, tokenFile] = await command.waitFor(
    /Local server started on port: (\d+)\n[^]*export AWS_CONTAINER_CREDENTIALS_FULL_URI=(\S+)\n[^]*export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=(.+)\n/,
  );
  const uri = shellWordValue(fullUri!);
  return { ...command, port: Number(port), fullUri: uri, tokenFile: shellWordValue(tokenFile!), origin: new URL(uri).origin };
}

/** What a shell makes of a word serve printed: itself, or the text in its single quotes. */
function shellWordValue(word: string): string {
  return word.startsWith("'") ? word.slice(1, -1).replaceAll("'\\''", "'") : word;
}
