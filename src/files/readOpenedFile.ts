import { readSync } from 'node:fs';

/**
 * The bytes of an opened file, from its start to its end, `size` (its fstat's) being where the end was when
 * it was opened: at most `maxBytes`, `tooLarge()` thrown past them, even for a file that grows while it
 * is read (one byte more than its size is asked for, to see that it grew).
 */
export function readOpenedFile(fd: number, size: number, maxBytes: number, tooLarge: () => Error): Buffer {
  if (size > maxBytes) throw tooLarge();
  let buffer = Buffer.allocUnsafe(size + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes) throw tooLarge();
      const larger = Buffer.allocUnsafe(Math.min(length * 2, maxBytes + 1));
      buffer.copy(larger, 0, 0, length);
      buffer = larger;
    }
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
  }
  return buffer.subarray(0, length);
}
