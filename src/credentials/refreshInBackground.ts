import type { CredentialRefresher } from './credentialRefresher.js';

/**
 * The longest the timer sleeps before it looks at the clock again. Timers run on a clock that stops while
 * the machine sleeps, expiry is on the wall clock: a laptop resumed after an hour would otherwise keep
 * expired credentials until the timer's own hour had passed too (update's file, serve's 500s); a
 * minute's wake left update's file expired for up to a minute (QA clock: ExpiredToken 47 s after a resume).
 */
const CHECK_EVERY_MS = 10_000;

/**
 * Refreshes on a timer, ahead of expiry (or after the backoff that follows a failure), so that callers
 * seldom wait for CreateSession. The timer follows every attempt, whoever made it, and wakes at least
 * every 10 s to look at the wall clock (a suspend, a clock set forward). Failures are reported by the
 * refresher's onFailure. `stop` resolves once a refresh it started has finished, so that nothing is left
 * half done.
 */
export function refreshInBackground(refresher: CredentialRefresher): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const schedule = () => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => {
      // Woken to look at the clock, before the refresh is due.
      if (refresher.msUntilNextRefresh() > 0) return schedule();
      running = refresher.refresh().catch(() => undefined);
    }, Math.min(refresher.msUntilNextRefresh(), CHECK_EVERY_MS));
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
