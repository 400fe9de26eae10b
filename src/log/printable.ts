/** C0 controls but tab and line feed, DEL, and C1 controls. */
const CONTROL = /[\0-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Text with its control characters written out as `\xHH`: what a server or a client sent (an error
 * message, a response body, a request path) reaches a terminal through our lines, where a carriage
 * return or an escape sequence would overwrite or recolour them (`...denied\r\x1b[32mOK`). Tabs and line
 * breaks are kept, for messages meant to have several lines (printableLine folds them). Other Unicode is kept.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Text made one line: its line breaks (with the spaces around them, a CR of a CRLF too) folded into one space. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Text made one printable line (oneLine, then printable). */
export function printableLine(text: string): string {
  return printable(oneLine(text));
}

/** Text as a message quotes it: its first `max` characters, and `…` when there were more. */
export function cutShort(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
