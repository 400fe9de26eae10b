import { writeSync } from 'node:fs';
import { HelperError } from './errors.js';

/**
 * A command's product on stdout and log lines on stderr, written with write(2) on the descriptor, as the
 * Go reference writes them, rather than through process.stdout and process.stderr: Node builds those
 * streams on first use, which costs ~1 ms of a credential-process run. A descriptor its owner made
 * non-blocking may take only part of the bytes (EAGAIN); the rest, and everything after it, then goes
 * through the stream, and `outputFlushed` waits for the stream to drain before the process exits.
 */

/** The descriptors that took only part of a write, whose output now goes through the stream. */
const streamed = new Set<1 | 2>();
/** Whether the stream stdout went to failed (its reader left): the output is incomplete. */
let stdoutLost = false;

/**
 * Throws the system's error when stdout's reader is gone (EPIPE, EBADF: the CLI then exits 1 quietly),
 * and a HelperError saying so when stdout cannot take the output (ENOSPC on a full disk, EIO).
 */
export function writeOut(data: string | Uint8Array): void {
  try {
    write(1, data);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EPIPE' || code === 'EBADF') throw error;
    // Node's `ENOSPC: no space left on device, write`, said as the system's reason alone.
    throw new HelperError(`unable to write to standard output: ${(error as Error).message.replace(/^[A-Z]+: |, write$/g, '')}`, { cause: error });
  }
}

/** Never throws: when stderr is gone there is nowhere to say so. */
export function writeErr(data: string | Uint8Array): void {
  try {
    write(2, data);
  } catch {
    // stderr closed (EPIPE, EBADF): the line is lost, as it would be in Go.
  }
}

/**
 * Resolves once whatever went through a stream has been handed to the system: to false if stdout's
 * reader left before it all was (the command then fails quietly, as when write(2) itself fails).
 */
export async function outputFlushed(): Promise<boolean> {
  for (const fd of streamed) {
    const stream = fd === 1 ? process.stdout : process.stderr;
    await new Promise<void>((resolve) =>
      stream.write('', (error) => {
        if (error && fd === 1) stdoutLost = true;
        resolve();
      }),
    );
  }
  return !stdoutLost;
}

function write(fd: 1 | 2, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  if (!streamed.has(fd)) {
    try {
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      streamed.add(fd);
      // A reader that leaves now fails the stream's write later: noted (stdout) or ignored (stderr), not thrown.
      (fd === 1 ? process.stdout : process.stderr).on('error', () => {
        if (fd === 1) stdoutLost = true;
      });
    }
  }
  (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(offset));
}
