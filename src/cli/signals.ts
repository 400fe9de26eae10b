import { leaveHungUpTerminalAlone } from './hungUpTerminal.js';

/**
 * Resolves with the first of these signals the process receives. Then a second one ends the process as it
 * would have (Ctrl-C twice), unless `keepCatching` (serve: it lets requests finish for up to 5 s, and must
 * then remove its token folder), which catches them until the process ends, as Go's signal.NotifyContext
 * does until stop. Signal handlers keep no process alive. The commands that wait for one may outlive their
 * terminal, and must not abort as they exit then (leaveHungUpTerminalAlone).
 */
export function untilSignal(signals: readonly NodeJS.Signals[], { keepCatching = false } = {}): Promise<NodeJS.Signals> {
  leaveHungUpTerminalAlone();
  return new Promise((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        if (!keepCatching) for (const [s, h] of handlers) process.off(s, h);
        resolve(signal);
      };
      return [signal, handler] as const;
    });
    for (const [signal, handler] of handlers) process.on(signal, handler);
  });
}

/**
 * SIGUSR1 would open Node's inspector on 127.0.0.1:9229, which has no authentication: any local user could
 * then read the key and credentials of the command (QA: a user read root's key from serve after an
 * operations tool sent SIGUSR1, as many do to have daemons reopen their logs; a credential-process waiting
 * on a slow endpoint lives for up to 30 s). A listener of its own keeps Node from starting it, at no cost
 * measured; the signal is otherwise ignored (the reference's Go dies of it), as there is nothing to reopen:
 * the helper logs to standard error. Every command the CLI runs sets it (a cache hit, answered before the
 * CLI loads and holding no key, does not).
 */
export function ignoreDebuggerSignal(): void {
  if (process.listenerCount('SIGUSR1') === 0) process.on('SIGUSR1', () => {});
}
