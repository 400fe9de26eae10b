import { afterEach, describe, expect, it } from 'vitest';
import { othersListening } from '../../src/signalListeners.js';

// signal-exit 4 keeps its loaded copies' count on the global object, and ends the process of a signal where its
// listeners and signal-exit 3's are all there is; signal-exit 3 keeps its own on process.__signal_exit_emitter__.
const V4 = Symbol.for('signal-exit emitter');

describe('othersListening', () => {
  const listener = () => {};
  const hadV4 = V4 in globalThis;
  afterEach(() => {
    process.off('SIGTERM', listener);
    if (!hadV4) delete (globalThis as Record<symbol, unknown>)[V4];
  });

  it("does not count signal-exit 4's listener (a program's execa or write-file-atomic) as a program's own, which would leave the TPM's work undone when a signal ends the process", () => {
    if (hadV4) return;
    const before = othersListening('SIGTERM');
    (globalThis as Record<symbol, unknown>)[V4] = { count: 1 };
    process.on('SIGTERM', listener); // as signal-exit 4 listens
    expect(othersListening('SIGTERM')).toBe(before);
  });

  it("counts a program's own listener", () => {
    const before = othersListening('SIGTERM');
    process.on('SIGTERM', listener);
    expect(othersListening('SIGTERM')).toBe(before + 1);
  });
});
