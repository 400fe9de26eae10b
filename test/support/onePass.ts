import { performance } from 'node:perf_hooks';
import { expect } from 'vitest';

/**
 * Runs `read`, which a pattern that goes back over its input would keep busy for seconds to minutes, and
 * returns what it returns (or throws what it throws), failing if it took over `boundMs`. Vitest's own timeout cannot fail it: it waits
 * for synchronous work to end, then counts the test as passed. The bound is hundreds of times what one pass
 * takes, so only a machine stalled for seconds could fail it otherwise.
 */
export function inOnePass<T>(read: () => T, boundMs = 2000): T {
  const started = performance.now();
  try {
    return read();
  } finally {
    expect(performance.now() - started, 'milliseconds taken').toBeLessThan(boundMs);
  }
}
