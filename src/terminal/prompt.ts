import { openSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { ReadStream } from 'node:tty';
import { HelperError, InterruptedError } from '../errors.js';
import { serialQueue } from '../serialQueue.js';
import { othersListening, STOP_SIGNALS } from '../signalListeners.js';

/** There is no terminal to ask on (cron, CI, a service, an SDK running us without a TTY). */
export class NoTerminalError extends Error {}

/**
 * Ctrl-C and Ctrl-\, which in raw mode reach the prompt as characters, not as the signals the terminal would
 * send: the command ends as of those signals (the reference keeps the terminal's signals on), through the
 * CLI's own exit, so that what it holds (a cache entry's lock) is let go.
 */
const SIGNAL_KEYS: Readonly<Record<string, () => InterruptedError>> = {
  '\u0003': () => new InterruptedError('SIGINT', 130),
  '\u001c': () => new InterruptedError('SIGQUIT', 131),
};

/** How often a prompt looks whether the program that ran the helper is still there. */
const ORPHAN_CHECK_MS = 500;

/** The prompts, one at a time. */
const oneAtATime = serialQueue();

/**
 * Asks for a secret on the controlling terminal (never stdin/stdout, which carry the command's data),
 * with echo off. Fails at once, rather than hang, when there is no terminal. One prompt at a time: serve's
 * roles, each with a key of its own, asked at once, and what was typed went to either (review).
 */
export function promptSecret(prompt: string): Promise<string> {
  return oneAtATime(() => askSecret(prompt));
}

async function askSecret(prompt: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new NoTerminalError('no terminal to ask on');
  }
  const { ReadStream } = await import('node:tty'); // loaded only when someone is asked
  const input = new ReadStream(fd);
  // A terminal that hangs up fails reads and mode changes (EIO) with 'error' events: readLine ends at the
  // stream's 'close', and there is no terminal left to put back.
  input.on('error', () => {});
  // Node puts the terminal back itself on SIGINT and SIGTERM only where no one listens for them, and never on
  // SIGHUP (QA: echo left off; with signal-exit's listener, --cache's or update --once's, on a caller's SIGTERM
  // too): done here, then the signal is raised again to end the process as it would have, unless another
  // listener (serve's) is still there to handle it; signal-exit's is not one: it left the prompt asking (QA).
  const stop = (signal: NodeJS.Signals) => {
    input.setRawMode(false);
    if (!othersListening(signal)) process.kill(process.pid, signal);
  };
  for (const signal of STOP_SIGNALS) process.once(signal, stop);
  // The program that ran the helper (an SDK's credential_process) killed alone leaves no one to use the
  // answer, and the prompt waiting for ever in the background of a terminal its shell has taken back, holding
  // the cache entry's lock that every later run then waited 33 s on (QA). A new parent tells: the command
  // ends as of a hang-up, quietly, through the CLI's own exit, which lets the lock go.
  const parent = process.ppid;
  let orphaned: NodeJS.Timeout | undefined;
  const callerGone = new Promise<never>((_, reject) => {
    orphaned = setInterval(() => process.ppid !== parent && reject(new InterruptedError('SIGHUP', 129)), ORPHAN_CHECK_MS);
    orphaned.unref();
  });
  try {
    // Echo off before the prompt shows, or a secret typed (or pasted) at once would be echoed.
    input.setRawMode(true);
    const ask = () => writeSync(fd, `${prompt}\n`);
    ask();
    const typed = await Promise.race([readLine(input, ask), callerGone]);
    // A terminal not set to UTF-8 sends other bytes, which would pass on another secret and spend a try.
    if (typed.includes('\uFFFD')) throw new HelperError('unable to use the secret typed: it is not UTF-8 text (set the terminal to UTF-8, or give it another way)');
    return typed;
  } finally {
    clearInterval(orphaned);
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
    input.setRawMode(false);
    try {
      writeSync(fd, '\n');
    } catch {
      // Hung up (EIO).
    }
    // In raw mode a terminal's input ends only when it hangs up, whose SIGHUP may come after this: the
    // process ends of it now, as it did before the handler above (review: 'internal error: EIO' otherwise).
    const hungUp = input.readableEnded || input.destroyed;
    input.destroy(); // closes fd
    if (hungUp && !othersListening('SIGHUP')) process.kill(process.pid, 'SIGHUP');
  }
}

/** A line typed at the terminal; `ask` shows the prompt again, after a stop (Ctrl-Z) the line is started anew. */
function readLine(input: ReadStream, ask: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    // A character's bytes may come in two chunks (a paste).
    const decoder = new StringDecoder('utf8');
    const onData = (chunk: Buffer) => {
      for (const char of decoder.write(chunk)) {
        if (char === '\r' || char === '\n') return finish(() => resolve(text));
        const interrupted = SIGNAL_KEYS[char];
        if (interrupted) return finish(() => reject(interrupted()));
        if (char === '\u0004') return finish(() => reject(new NoTerminalError('end of input')));
        if (char === '\u001a' && suspend(input)) {
          text = '';
          ask();
        } else if (char === '\u007f' || char === '\b') text = text.slice(0, -1);
        else if (char === '\u0015') text = ''; // Ctrl-U: start again, as a terminal's line editing has it
        else text += char;
      }
    };
    const onEnd = () => finish(() => reject(new NoTerminalError('end of input')));
    const finish = (settle: () => void) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('close', onEnd);
      input.pause();
      settle();
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('close', onEnd);
  });
}

/**
 * Ctrl-Z: stops the process, the terminal back as it was, until the shell continues it (`fg`), as OpenSSH's
 * readpassphrase does, and false where the prompt's own process handles the signal. Where the kernel does
 * not stop it (no job control), the line is started anew all the same. The signal goes to the process
 * group, as the terminal's own Ctrl-Z would: a program that runs the helper (an SDK's credential_process)
 * stops with it, and the shell gets its prompt back (review: the helper alone stopped, its parent waiting).
 */
function suspend(input: ReadStream): boolean {
  if (process.listenerCount('SIGTSTP')) return false;
  input.setRawMode(false);
  process.kill(0, 'SIGTSTP');
  input.setRawMode(true);
  return true;
}
