import type { Logger } from '../log/logger.js';
import { inputStamp, type Input } from './input.js';

/**
 * What `load` read from `inputs`, kept until one of them changes on disk (a renewed certificate, say) and
 * then loaded again, with `changed` logged at debug level, so that `serve` and `update` pick up renewed
 * files without a restart. Callers at the same time share one loading (serve's roles sharing a key, at
 * start-up: one reading, one password prompt) and its failure; the next caller after a failure loads again.
 */
export function reloadOnChange<T>(inputs: readonly (Input | undefined)[], load: () => Promise<T>, logger: Logger, changed: string): () => Promise<T> {
  let loaded: { readonly stamp: string; readonly value: T } | undefined;
  let loading: { readonly stamp: string; readonly value: Promise<T> } | undefined;
  return async () => {
    const stamp = inputStamp(inputs);
    if (loaded?.stamp === stamp) return loaded.value;
    if (loading?.stamp === stamp) return loading.value;
    if (loaded) logger.debug(changed);
    const current = { stamp, value: load() };
    loading = current;
    try {
      const value = await current.value;
      loaded = { stamp, value };
      return value;
    } finally {
      if (loading === current) loading = undefined;
    }
  };
}
