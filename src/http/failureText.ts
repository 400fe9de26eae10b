/**
 * How an attempt that got no response says why, for the socket client, the redirect loop and the request
 * handler's sender alike. Apart from transportError.ts, which dist/http.cjs holds: requestHandler.ts, a
 * bundle that http.cjs loads when first used, takes its own copy of these rather than require http.cjs
 * back (Rollup warned users of that circular dependency).
 */

/** The network errors, by code, after which trying again may help. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** How an attempt that ran out of time says so, naming the step it was at: `timed out after 10 s waiting for the response`. */
export function timedOutText(timeoutMs: number, phase: string): string {
  return `timed out after ${Math.round(timeoutMs / 100) / 10} s ${phase}`;
}

/** How an attempt its sender's owner stopped says so (the reason says who: `the session was closed`). */
export function stoppedText(phase: string, reason: string | undefined): string {
  return `stopped ${phase}: ${reason}`;
}
