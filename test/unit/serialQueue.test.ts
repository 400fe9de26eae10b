import { describe, expect, it } from 'vitest';
import { serialQueue } from '../../src/serialQueue.js';

/** A promise and the functions that settle it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('serialQueue', () => {
  it('runs each task once the one before has settled, in the order given', async () => {
    const run = serialQueue();
    const events: string[] = [];
    const first = deferred();
    const a = run(async () => (events.push('a starts'), await first.promise, events.push('a ends'), 'a'));
    const b = run(async () => (events.push('b runs'), 'b'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['a starts']);
    first.resolve();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(events).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it("gives a task's failure to its caller alone, and runs the next task (an async one's, or one that throws at once)", async () => {
    const run = serialQueue();
    const failing = deferred<string>();
    const failed = run(() => failing.promise);
    const thrown = run((): Promise<string> => {
      throw new Error('at once');
    });
    const next = run(async () => 'next');
    failing.reject(new Error('refused'));
    await expect(failed).rejects.toThrow('refused');
    await expect(thrown).rejects.toThrow('at once');
    await expect(next).resolves.toBe('next');
  });

  it('leaves no rejection unhandled when a failed task is the last one queued', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const run = serialQueue();
      await expect(run(async () => Promise.reject(new Error('last')))).rejects.toThrow('last');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
