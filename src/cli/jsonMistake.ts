import { isUtf8 } from 'node:buffer';
import { cutShort } from '../log/printable.js';
import { startsAsUtf16 } from '../startsAsUtf16.js';

/**
 * Why a JSON file's bytes are not UTF-8 text, for its message: read as UTF-8 anyway, each stray byte is
 * U+FFFD, and a Latin-1 name or password is refused as another, or tried as another (QA). UTF-16 (as
 * PowerShell 5 writes a file) by name, its NULs or byte order mark said to be no JSON at column 1 or 2
 * otherwise. undefined for UTF-8.
 */
export function notUtf8(data: Buffer): string | undefined {
  if (startsAsUtf16(data)) return 'it is UTF-16 text (save it as UTF-8)';
  if (isUtf8(data)) return undefined;
  // A line break is never part of a character of several bytes.
  const lines = data.toString('latin1').split('\n');
  return `not UTF-8 text at line ${lines.findIndex((line) => !isUtf8(Buffer.from(line, 'latin1'))) + 1} (save it as UTF-8)`;
}

/**
 * Why text that JSON.parse refused is not JSON, for a file's message (roles file, emulator config): `not
 * valid JSON at line L, column C` (from 1), where it first goes wrong, or its byte order mark. JSON.parse's
 * own message quotes the text near the mistake, which may be a password, and gives no position for an
 * unexpected character: this follows JSON's grammar (RFC 8259) to the first character it refuses (its walk
 * also finds the keys given twice, see duplicateKeyIn).
 */
export function jsonMistake(text: string): string {
  // Invisible in an editor, which may save one (Windows' Notepad did), and never valid JSON.
  if (text.startsWith('\ufeff')) return 'not valid JSON: it starts with a byte order mark (save it without one)';
  return `not valid JSON at ${lineAndColumn(text, firstMistake(text, false)?.offset ?? text.length)}`;
}

/**
 * The first key given twice in one object of text JSON.parse took (it keeps the last one, saying nothing),
 * and where the second one begins, for a file's message; undefined when there is none, or when the nesting is
 * too deep to follow.
 */
export function duplicateKeyIn(text: string): string | undefined {
  const mistake = firstMistake(text, true);
  // Cut short as an unknown setting is (fuzzing QA: a 100 KB key was quoted whole).
  return mistake?.key === undefined ? undefined : `${JSON.stringify(cutShort(mistake.key, 80))} is given twice in one object, the second time at ${lineAndColumn(text, mistake.offset)}`;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /true|false|null/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

/** The first character JSON's grammar refuses, or (`keysOnce`) the first key given twice in one object; undefined when there is none. */
function firstMistake(text: string, keysOnce: boolean): JsonMistake | undefined {
  let at = 0;
  const fail = (): never => {
    throw new JsonMistake(at);
  };
  const skipSpace = () => {
    while (' \t\n\r'.includes(text[at] || '!')) at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) fail();
    at++;
  };
  const match = (pattern: RegExp) => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) fail();
    at = pattern.lastIndex;
  };
  const string = () => {
    expect('"');
    for (let char = text[at]; char !== '"'; char = text[at]) {
      if (char === undefined || char < ' ') fail();
      at++;
      if (char === '\\') match(ESCAPE);
    }
    at++;
  };
  // A container: its opening character, then members separated by commas, then its closing one.
  const container = (close: string, member: () => void) => {
    at++;
    skipSpace();
    let first = true;
    while (text[at] !== close) {
      if (!first) expect(',');
      first = false;
      member();
      skipSpace();
    }
    at++;
  };
  const property = (keys: Set<string>) => {
    skipSpace();
    const start = at;
    string();
    if (keysOnce) {
      const key = JSON.parse(text.slice(start, at)) as string;
      if (keys.has(key)) throw new JsonMistake(start, key);
      keys.add(key);
    }
    expect(':');
    value();
  };
  const value = (): void => {
    skipSpace();
    const char = text[at] ?? '';
    if (char === '{') {
      const keys = new Set<string>();
      container('}', () => property(keys));
    } else if (char === '[') container(']', value);
    else if (char === '"') string();
    else match(/[-0-9]/.test(char) ? NUMBER : WORD);
  };
  try {
    value();
    skipSpace();
    if (at < text.length) fail();
  } catch (error) {
    if (error instanceof JsonMistake) return error;
    // Nested too deep to follow: where it got to, as a mistake of grammar (JSON.parse refused the text too).
    if (error instanceof RangeError) return keysOnce ? undefined : new JsonMistake(at);
    throw error;
  }
  return undefined;
}

class JsonMistake {
  constructor(
    readonly offset: number,
    /** The key given twice, for that mistake. */
    readonly key?: string,
  ) {}
}
