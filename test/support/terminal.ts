import { spawn } from 'node:child_process';
import { shellWord } from '../../src/shellWord.js';
import { cleanEnv, cliPath } from './cli.js';

/** The CLI run with `args`, as a shell command line (for `script -c`, or a shell's own). */
export function cliCommandLine(args: readonly string[]): string {
  return [process.execPath, cliPath, ...args].map(shellWord).join(' ');
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), answering each prompt that appears with the
 * next answer, the way a person at the terminal would: only after the prompt is shown.
 */
export function runCliOnTerminal(
  args: readonly string[],
  answers: readonly (string | Buffer)[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', cliCommandLine(args), '/dev/null'], { env: cleanEnv(env), stdio: 'pipe' });
    let output = '';
    let answered = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const prompts = output.match(/Please enter[^\n]*:|Please try again:/g)?.length ?? 0;
      while (answered < prompts && answered < answers.length) child.stdin.write(Buffer.concat([Buffer.from(answers[answered++]!), Buffer.from('\r')]));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
