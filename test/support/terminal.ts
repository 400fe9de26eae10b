import { spawn } from 'node:child_process';
import { cleanEnv, cliPath } from './cli.js';

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), answering each prompt that appears with the
 * next answer, the way a person at the terminal would: only after the prompt is shown.
 */
export function runCliOnTerminal(
  args: readonly string[],
  answers: readonly (string | Buffer)[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, cliPath, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: cleanEnv(env), stdio: 'pipe' });
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
