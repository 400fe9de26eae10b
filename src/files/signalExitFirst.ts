import onExit from 'signal-exit';

/**
 * Puts signal-exit's listeners before the program's own, once it has loaded (the lock files' exit hooks,
 * proper-lockfile's among them, keep it loaded for good). It ends the process of a signal, after its hooks,
 * where its listeners are all that is left when they run: behind a program's `process.once('SIGTERM', stop)`,
 * which Node removes before calling it, signal-exit found itself alone and ended the process in the middle of
 * that stop (exit 143: a service using the library with `cache: true`, as most stop on a once listener). Ahead
 * of it, signal-exit sees the program's listener and leaves the signal to it; the hooks run as it exits.
 */
export function signalExitFirst(): void {
  const signals = onExit.signals() as NodeJS.Signals[];
  const before = new Map(signals.map((signal) => [signal, process.rawListeners(signal)]));
  // unload puts back the process.emit and process.reallyExit it found on loading, dropping those another
  // library wrapped since (signal-exit 4's, whose exit hooks then never ran): they are kept as they are.
  const { emit, reallyExit } = process as unknown as { emit: unknown; reallyExit: unknown };
  // Its listeners are those unload removes; load puts them back, last, and they are moved to the front.
  onExit.unload();
  const theirs = new Map(signals.map((signal) => [signal, (before.get(signal) ?? []).filter((listener) => !process.rawListeners(signal).includes(listener))]));
  if (![...theirs.values()].some((listeners) => listeners.length > 0)) return; // it was not loaded
  onExit.load();
  Object.assign(process, { emit, reallyExit });
  for (const [signal, listeners] of theirs) {
    for (const listener of listeners.reverse()) {
      process.removeListener(signal, listener as () => void);
      process.prependListener(signal, listener as () => void);
    }
  }
}
