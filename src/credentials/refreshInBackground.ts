import type { CredentialRefresher } from './credentialRefresher.js';

/**
 * Refreshes on a timer, ahead of expiry (or after the backoff that follows a failure), so that callers
 * seldom wait for CreateSession. Failures are reported by the refresher's onFailure.
 */
export function refreshInBackground(refresher: CredentialRefresher): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      refresher.refresh().then(schedule, schedule);
    }, refresher.msUntilNextRefresh());
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
