import { spawn } from 'node:child_process';
import { shWord } from './shWord.js';
import { cleanEnv, cliCommandLine } from './cli.js';

/** A prompt of the helper's for a password or PIN, first or again. */
const PROMPT = /Please enter[^\n]*:|Please try again:/;

/**
 * Runs the CLI on a pseudo-terminal, answering each prompt that appears with the next answer, the way a
 * person at the terminal would: only after the prompt is shown.
 */
export function runCliOnTerminal(
  args: readonly string[],
  answers: readonly (string | Buffer)[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const steps = answers.map((answer) => ({ after: PROMPT, keys: Buffer.concat([Buffer.from(answer), Buffer.from('\r')]) }));
  return typeOnTerminal(cliCommandLine(args), steps, env);
}

/** Keys to type, or what makes them once the step's text has shown (a file changed under the command, say). */
type Keys = string | Buffer | (() => string | Buffer | Promise<string | Buffer>);

/**
 * Runs a shell script on a pseudo-terminal (util-linux `script`) and types each step's keys (nothing added: a
 * key's own '\r' ends a line) once its text has shown after the step before; `output` is what the terminal
 * showed (echo is off while a secret is read, so a typed secret shows only if the helper echoes it), `code`
 * the script's. Rejects when the script ends (or is killed after 30 s) before a step's text has shown, or
 * while a step's keys are still being made (they were never typed).
 */
export function typeOnTerminal(
  script: string,
  steps: readonly { after: string | RegExp; keys: Keys }[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `sh -c ${shWord(script)}`, '/dev/null'], { env: cleanEnv(env), stdio: 'pipe' });
    let output = '';
    let seen = 0;
    let step = 0;
    let making = false;
    let ended = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const typeWhatShowed = () => {
      for (let end; !making && step < steps.length && (end = shownAfter(output, steps[step]!.after, seen)) !== -1; ) {
        seen = end;
        const { keys } = steps[step++]!;
        if (typeof keys !== 'function') {
          child.stdin.write(keys);
          continue;
        }
        making = true;
        void Promise.resolve()
          .then(keys)
          .then(
            (made) => {
              if (ended) return;
              child.stdin.write(made);
              making = false;
              typeWhatShowed();
            },
            (error: unknown) => {
              child.kill('SIGKILL');
              reject(error);
            },
          );
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      typeWhatShowed();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      ended = true;
      clearTimeout(timer);
      // A step whose keys were still being made, or whose text never showed, is a failure, not a run that
      // ended early (review: serve ended during the last step's wait for refreshes; a prompt's new wording
      // was waited out for 30 s; both tests passed on what had shown).
      if (making) reject(new Error(`the terminal ended before step ${step}'s keys were made and typed; it showed:\n${output}`));
      else if (step < steps.length) reject(new Error(`the terminal never showed ${String(steps[step]!.after)} (step ${step + 1}); it showed:\n${output}`));
      else resolve({ code, output });
    });
  });
}

/** Where `text` first shows `after` from `from` on ends, or -1. */
function shownAfter(text: string, after: string | RegExp, from: number): number {
  if (typeof after === 'string') {
    const at = text.indexOf(after, from);
    return at === -1 ? -1 : at + after.length;
  }
  const match = after.exec(text.slice(from));
  return match ? from + match.index + match[0].length : -1;
}
