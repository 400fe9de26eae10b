/**
 * What a path holding bytes that are not UTF-8 is said to hold: Node reads each such byte of an argument or a
 * variable as U+FFFD, and so names another file or folder, or none.
 */
export const NOT_UTF8_PATH = 'holds bytes that are not UTF-8 (shown as \uFFFD), which Node.js cannot name';
