import onExit from 'signal-exit';
import { othersListening, STOP_SIGNALS } from '../../signalListeners.js';

/** The undoings of a program that stops on signals itself, run as it exits: one listener for them all. */
const atExit = new Set<() => void>();
const undoAll = () => {
  for (const undo of atExit) undo();
};

/**
 * Runs `start` and waits for it, and runs `undo` (synchronous) should the process exit before it settles: a signal
 * that ends a credential-process while tpm2-tools run (its caller's timeout, Ctrl-C, a service manager's
 * stop) left the work folder with its blobs and digest in the temporary folder, the TPM lock, and the tool
 * running on as an orphan that later loaded objects no one flushed (QA). signal-exit runs it and then ends
 * the process of the same signal, as it would have ended. A program that stops on the signal itself
 * (serve and update, which clean up as the operation ends; a service using the library) is left to do so,
 * `undo` run as it exits: signal-exit, listening after it, took a listener that removed itself as it ran
 * (process.once) for none, and ended the process of the signal in the middle of its stop (review: exit 143).
 * Listened for before `start`: a signal as the tool started, the helper not yet back in its code, found
 * no listener, and Node ended the process at once, with nothing undone (QA: a rah-tpm-* folder left).
 */
export async function undoneOnExit<T>(undo: () => void, start: () => Promise<T>): Promise<T> {
  const quietly = () => {
    try {
      undo();
    } catch {
      // Best effort as the process ends: what could not be undone stays, as after a SIGKILL.
    }
  };
  let forget: () => void;
  if (STOP_SIGNALS.some((signal) => othersListening(signal) > 0)) {
    if (atExit.size === 0) process.on('exit', undoAll);
    atExit.add(quietly);
    forget = () => {
      atExit.delete(quietly);
      if (atExit.size === 0) process.off('exit', undoAll);
    };
  } else {
    forget = onExit(quietly);
  }
  try {
    return await start();
  } finally {
    forget();
  }
}
