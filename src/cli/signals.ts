/**
 * What stops a long-running command (serve, update, the emulator) cleanly: Ctrl-C, a service manager's stop,
 * and the terminal it runs in closing (SIGHUP), which would otherwise leave serve's token folder behind.
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Resolves with the first of these signals the process receives (and stops listening for them). */
export function untilSignal(signals: readonly NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) process.off(s, h);
        resolve(signal);
      };
      return [signal, handler] as const;
    });
    for (const [signal, handler] of handlers) process.on(signal, handler);
  });
}
