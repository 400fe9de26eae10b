/**
 * A request that got no HTTP response; `retryable` when trying again may help. `unreachable` when the
 * endpoint could not be reached or did not answer (refused, reset, timed out, a host DNS does not know),
 * as opposed to a setting of ours (TLS verification, a proxy URL): another Region's endpoint may do better.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly unreachable: boolean = retryable,
  ) {
    super(message);
  }
}

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
