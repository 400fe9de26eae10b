import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * What a run writes in the TPM lock it holds: its pid, its PID namespace, and a number drawn for this one
 * lock, so that a lock is told from another by its content even when a file system reuses the inode of a
 * removed one.
 */
export function tpmLockContent(pid = process.pid): string {
  return `${pid} ${pidNamespace()} ${randomBytes(8).toString('hex')}\n`;
}

/**
 * The run named in a lock's content no longer runs. Only a pid of this PID namespace says so: containers
 * that share the temporary folder see each other's runs as gone (ESRCH), so a lock from another namespace
 * (or one saying none) is left to its stamp going stale. An empty lock is being written: not gone.
 */
export function lockHolderIsGone(content: string): boolean {
  const [pidField, namespace] = content.trim().split(' ');
  const pid = Number(pidField);
  return namespace === pidNamespace() && Number.isInteger(pid) && pid > 0 && !isRunning(pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let ownNamespace: string | undefined;

/** Linux names a PID namespace `pid:[<inode>]`; elsewhere (no such namespaces) the host names one. */
function pidNamespace(): string {
  if (ownNamespace === undefined) {
    try {
      ownNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      ownNamespace = `host:${hostname()}`;
    }
  }
  return ownNamespace;
}
