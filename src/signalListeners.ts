/**
 * How many listeners for `signal` the process has besides signal-exit's (the exit hooks of the credential
 * cache's locks, serve --ecs's token folder and, where nothing else stops on a signal, the TPM's work):
 * signal-exit ends the process of a signal, once its hooks have run, only where its own listeners are all
 * there is, so a code that ends the process of a signal unless someone else handles it (a prompt's SIGHUP)
 * counts the others. Its loaded copies, each listening once, are counted on the process (signal-exit 3's
 * `__signal_exit_emitter__`).
 */
export function othersListening(signal: NodeJS.Signals): number {
  const signalExit = (process as { __signal_exit_emitter__?: { count?: number } }).__signal_exit_emitter__;
  return process.listenerCount(signal) - (signalExit?.count ?? 0);
}
