/**
 * What stops a long-running command (serve, update, the emulator) cleanly: Ctrl-C, a service manager's stop,
 * and the terminal it runs in closing (SIGHUP), which would otherwise leave serve's token folder behind. A
 * program listening for one of them stops by itself (undoneOnExit leaves the TPM's clean-up to its exit then).
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Where signal-exit 4 keeps the count of its loaded copies. */
const SIGNAL_EXIT_4 = Symbol.for('signal-exit emitter');

/**
 * How many listeners for `signal` the process has besides signal-exit's (the exit hooks of the credential
 * cache's locks, serve --ecs's token folder and, where nothing else stops on a signal, the TPM's work):
 * signal-exit ends the process of a signal, once its hooks have run, only where its own listeners are all
 * there is, so a code that ends the process of a signal unless someone else handles it (a prompt's SIGHUP)
 * counts the others. Its loaded copies, each listening once, are counted on the process (signal-exit 3's
 * `__signal_exit_emitter__`) and, for signal-exit 4's (a program's own: execa's, write-file-atomic's), on the
 * global object: signal-exit 4 ends the process where its and signal-exit 3's listeners are all there is.
 */
export function othersListening(signal: NodeJS.Signals): number {
  const v3 = (process as { __signal_exit_emitter__?: { count?: number } }).__signal_exit_emitter__;
  const v4 = (globalThis as { [SIGNAL_EXIT_4]?: { count?: number } })[SIGNAL_EXIT_4];
  return process.listenerCount(signal) - (v3?.count ?? 0) - (v4?.count ?? 0);
}
