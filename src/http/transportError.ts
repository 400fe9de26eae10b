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
