import { basename, dirname, join } from 'node:path';

/**
 * The name a lock is moved aside to while it is judged dead (staleLocks.ts's removedIfStill): beside it, hidden,
 * this process's and unique, so that two runs judging the same lock never meet there.
 */
export function lockAsidePath(lockPath: string): string {
  return join(dirname(lockPath), `.${basename(lockPath)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.gone`);
}

/** The name of the lock a name beside it was moved aside from (`.<lock>.<pid>.<random>.gone`); undefined: not such a name. */
export function lockAsideTarget(name: string): string | undefined {
  return /^\.(.+)\.\d+\.[0-9a-z]*\.gone$/.exec(name)?.[1];
}
