import { randomBytes } from 'node:crypto';

/**
 * What a run writes in the TPM lock it holds: its pid, and a number drawn for this one lock, so that a lock
 * is told from another by its content even when a file system reuses the inode of a removed one.
 */
export function tpmLockContent(pid = process.pid): string {
  return `${pid} ${randomBytes(8).toString('hex')}\n`;
}

/** The run named in a lock's content no longer runs. An empty lock is being written: not gone. */
export function lockHolderIsGone(content: string): boolean {
  const pid = Number.parseInt(content, 10);
  return Number.isInteger(pid) && pid > 0 && !isRunning(pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
