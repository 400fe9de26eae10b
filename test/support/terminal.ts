import { spawn } from 'node:child_process';
import { shellWord } from '../../src/shellWord.js';
import { cleanEnv, cliCommandLine } from './cli.js';

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

/**
 * Runs a shell script on a pseudo-terminal and types each step's keys (nothing added: a key's own '\r'
 * ends a line) once its text has shown after the step before; `output` is what the terminal showed (echo is
 * off while a secret is read, so a typed secret shows only if the helper echoes it), `code` the script's.
 */
export function typeOnTerminal(
  script: string,
  steps: readonly { after: string; keys: string }[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `sh -c ${shellWord(script)}`, '/dev/null'], { env: cleanEnv(env), stdio: 'pipe' });
    let output = '';
    let seen = 0;
    let step = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const at = step < steps.length ? output.indexOf(steps[step]!.after, seen) : -1;
      if (at < 0) return;
      seen = at + steps[step]!.after.length;
      child.stdin.write(steps[step++]!.keys);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
