/**
 * Whether a text file's first two bytes say UTF-16 (as Windows PowerShell 5 writes a file with `>` or
 * Out-File): a byte order mark, or a NUL in either, which no UTF-8 text of these files starts with.
 */
export function startsAsUtf16(data: Buffer): boolean {
  return /^(\xff\xfe|\xfe\xff|\0|.\0)/s.test(data.toString('latin1', 0, 2));
}
