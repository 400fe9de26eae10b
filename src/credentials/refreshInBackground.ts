import type { CredentialRefresher } from './credentialRefresher.js';

/** setTimeout's longest delay (about 24.8 days); a longer one fires at once, with a warning. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Refreshes on a timer, ahead of expiry (or after the backoff that follows a failure), so that callers
 * seldom wait for CreateSession. The timer follows every attempt, whoever made it, and a delay longer than
 * a timer can hold is waited for in steps. Failures are reported by the refresher's onFailure. `stop`
 * resolves once a refresh it started has finished, so that nothing is left half done.
 */
export function refreshInBackground(refresher: CredentialRefresher): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const schedule = () => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => {
      // Woken before the refresh is due: the delay was longer than a timer holds.
      if (refresher.msUntilNextRefresh() > 0) return schedule();
      running = refresher.refresh().catch(() => undefined);
    }, Math.min(refresher.msUntilNextRefresh(), MAX_TIMER_MS));
  };
  const unsubscribe = refresher.onSettled(schedule);
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      await running;
    },
  };
}
