import onExit from 'signal-exit';

/**
 * Waits for `running`, and runs `undo` (synchronous) should the process exit before it settles: a signal
 * that ends a credential-process while tpm2-tools run (its caller's timeout, Ctrl-C, a service manager's
 * stop) left the work folder with its blobs and digest in the temporary folder, the TPM lock, and the tool
 * running on as an orphan that later loaded objects no one flushed (QA). signal-exit runs it and then ends
 * the process of the same signal, as it would have ended, where nothing else listens for the signal: serve
 * and update, which stop on it themselves, clean up as the operation ends.
 */
export async function undoneOnExit<T>(undo: () => void, running: Promise<T>): Promise<T> {
  const forget = onExit(() => {
    try {
      undo();
    } catch {
      // Best effort as the process ends: what could not be undone stays, as after a SIGKILL.
    }
  });
  try {
    return await running;
  } finally {
    forget();
  }
}
