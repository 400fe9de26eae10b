import { cutShort } from '../log/printable.js';

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
