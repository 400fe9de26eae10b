/**
 * What stops a long-running command (serve, update, the emulator) cleanly: Ctrl-C, a service manager's stop,
 * and the terminal it runs in closing (SIGHUP), which would otherwise leave serve's token folder behind.
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Resolves with the first of these signals the process receives. It goes on catching them (as Go's
 * signal.NotifyContext does until stop): a second Ctrl-C while the command stops (serve lets requests finish
 * for up to 5 s) would otherwise kill it before it removes what it made. Signal handlers keep no process alive.
 */
export function untilSignal(signals: readonly NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of signals) process.on(signal, () => resolve(signal));
  });
}
