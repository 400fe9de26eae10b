/**
 * Runs the tasks given to it one at a time, in order, each once the one before has settled: a task that
 * fails does not keep the next from running, and its rejection reaches its own caller only (the queue's
 * own copy of it is caught, so that none goes unhandled). The queue's tail never rejects, so `then(task)`
 * is all it takes: a second, rejection handler would never run.
 */
export function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}
