import onExit from 'signal-exit';
import { afterEach, describe, expect, it } from 'vitest';
import { signalExitFirst } from '../../../src/files/signalExitFirst.js';

describe('signalExitFirst', () => {
  const { emit, reallyExit } = process as unknown as { emit: typeof process.emit; reallyExit: (code?: number) => never };
  let forget: (() => void) | undefined;
  afterEach(() => {
    forget?.();
    Object.assign(process, { emit, reallyExit });
  });

  it("moves signal-exit's listeners ahead of a program's own", () => {
    const program = () => {};
    process.once('SIGTERM', program);
    try {
      forget = onExit(() => {});
      expect(process.listeners('SIGTERM').at(-1)).not.toBe(program);
      signalExitFirst();
      expect(process.listeners('SIGTERM').at(-1)).toBe(program);
    } finally {
      process.off('SIGTERM', program);
    }
  });

  it("keeps the exit hooks of a library that wrapped process.emit and process.reallyExit after signal-exit loaded (signal-exit 4's, execa's cleanup), which signal-exit's unload put back to its own originals", () => {
    forget = onExit(() => {});
    const theirEmit = ((...args: unknown[]) => (emit as (...a: unknown[]) => boolean).apply(process, args)) as unknown as typeof process.emit;
    const theirReallyExit = (() => {}) as unknown as (code?: number) => never;
    Object.assign(process, { emit: theirEmit, reallyExit: theirReallyExit });
    signalExitFirst();
    expect((process as unknown as { reallyExit: unknown }).reallyExit).toBe(theirReallyExit);
    expect(process.emit).toBe(theirEmit);
  });
});
