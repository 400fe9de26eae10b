// Blanks as the readers of AWS's shared files take them: botocore (Python's str.strip) and the Go SDK
// (unicode.IsSpace) differ below U+0080 only.

/** U+0085, U+00A0 and Unicode's spaces and separators past them: blanks to Python and to Go alike. */
export function isBlankPastAscii(code: number): boolean {
  return code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

/**
 * The text without the blanks `isBlank` names at its start and end. By index, not with a pattern: one over
 * runs of blanks went over each run again from each of its characters (fuzzing QA: a line of 80,000 blanks
 * took 3 s, one of 100 KB 11 s).
 */
export function trimBlanks(text: string, isBlank: (code: number) => boolean): string {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}
