/**
 * A session's close(), told to the requests it has under way: an AbortSignal's job, without its cost. Node
 * compiles EventTarget's functions on their first use, about 1 ms of every credential-process run, which
 * never stops a request (review); this is a flag and a set of callbacks.
 */
export class StopSignal {
  #reason: string | undefined;
  readonly #listeners = new Set<() => void>();

  /** Why it was stopped (`the session was closed`); undefined until then. */
  get reason(): string | undefined {
    return this.#reason;
  }

  /** Calls `listener` once when stopped (not if it already is); returns what removes it. */
  onStop(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops what listens, once. */
  stop(reason: string): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    for (const listener of this.#listeners) listener();
    this.#listeners.clear();
  }
}
