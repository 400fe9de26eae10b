import type { CredentialRefresher } from './credentialRefresher.js';

/**
 * Refreshes on a timer, ahead of expiry (or after the backoff that follows a failure), so that callers
 * seldom wait for CreateSession. Failures are reported by the refresher's onFailure. `stop` resolves once a
 * refresh in flight has finished, so that nothing is left half done.
 */
export function refreshInBackground(refresher: CredentialRefresher): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = () => {
    running = undefined;
    if (stopped) return;
    timer = setTimeout(() => {
      running = refresher.refresh().then(schedule, schedule);
    }, refresher.msUntilNextRefresh());
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
