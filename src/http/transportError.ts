/** A request that got no HTTP response; `retryable` when trying again may help. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
