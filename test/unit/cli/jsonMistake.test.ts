import { describe, expect, it } from 'vitest';
import { duplicateKeyIn, jsonMistake, notUtf8 } from '../../../src/cli/jsonMistake.js';

describe('jsonMistake: where JSON.parse would fail, without quoting the text', () => {
  it.each([
    ['{"roles": [{"pkcs8-password": hunter2}]}', 'line 1, column 31'],
    ['{\n  "roles": [\n    {"pkcs8-password": "hunter2}\n  ]\n}\n', 'line 3, column 33'], // a line break in a string
    ['{"roles": [{"a": "b"},]}', 'line 1, column 23'],
    ['{"a": 1 "b": 2}', 'line 1, column 9'],
    ['{"a": 01}', 'line 1, column 8'],
    ['{"a": "x\ty"}', 'line 1, column 9'],
    ['{"a": "\\q"}', 'line 1, column 9'],
    ['{"a": -}', 'line 1, column 7'],
    ['{"a": tru}', 'line 1, column 7'],
    ['{"roles": [', 'line 1, column 12'],
    ['', 'line 1, column 1'],
    ['{} x', 'line 1, column 4'],
    ['{\r\n"a" 1}', 'line 2, column 5'],
    // Mutation QA: a tab was not tested as a blank, nor a lone CR (an old Mac's line end) as a line break.
    ['{\t"a"\t1}', 'line 1, column 7'],
    ['{\r"a" 1}', 'line 2, column 5'],
  ])('%j: %s', (text, where) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonMistake(text)).toBe(`not valid JSON at ${where}`);
  });

  it('a byte order mark, by name: a position at line 1, column 1 points at nothing one can see (QA)', () => {
    for (const text of ['\ufeff{}', '\ufeff{"roles": [}']) {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonMistake(text)).toBe('not valid JSON: it starts with a byte order mark (save it without one)');
    }
  });

  it('JSON it accepts, JSON.parse accepts', () => {
    // A negative exponent and an upper-case \\u escape too (mutation QA: each passed refused).
    const text = '{"a": [1, -2.5e+3, 1E-2, true, false, null, "\\u00e9\\u00C9\\n", {}, []], "b": {"c": ""}}';
    expect(() => JSON.parse(text)).not.toThrow();
    expect(jsonMistake(`${text}]`)).toBe(`not valid JSON at line 1, column ${text.length + 1}`);
  });

  it('nesting too deep to follow: a place, not a crash', () => {
    expect(jsonMistake('['.repeat(1_000_000))).toMatch(/^not valid JSON at line 1, column \d+$/);
  });
});

describe('duplicateKeyIn: a key given twice in one object, which JSON.parse takes silently, keeping the last', () => {
  it.each([
    ['{"roles": [{"role-arn": "a",\n  "role-arn": "b"}]}', 'role-arn', 'line 2, column 3'],
    ['{"roles": [], "roles": [{}]}', 'roles', 'line 1, column 15'],
    ['{"a": {"b": 1, "\\u0062": 2}}', 'b', 'line 1, column 16'], // the same key, written otherwise
    ['{"a": 1, "b": {"a": 2, "c": 3, "c": 4}}', 'c', 'line 1, column 32'],
  ])('%j: %s, at %s', (text, key, at) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(duplicateKeyIn(text)).toBe(`${JSON.stringify(key)} is given twice in one object, the second time at ${at}`);
  });

  it('a long key is cut short, as an unknown setting is (fuzzing QA: a 100 KB key was quoted whole)', () => {
    const key = 'k'.repeat(100_000);
    expect(duplicateKeyIn(`{"${key}": 1, "${key}": 2}`)).toBe(`"${'k'.repeat(80)}…" is given twice in one object, the second time at line 1, column 100009`);
  });

  it('none in objects that share keys, or in lists', () => {
    expect(duplicateKeyIn('{"roles": [{"name": "a", "role-arn": "x"}, {"name": "b", "role-arn": "x"}], "x": ["a", "a"]}')).toBeUndefined();
  });

  it('nesting too deep to follow: none said, not a crash', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(duplicateKeyIn(deep)).toBeUndefined();
  });
});

// Mutation QA: only UTF-16LE starting with "{" was tested (in a roles file): each of these passed with its own rule gone.
describe('notUtf8: UTF-16 by name, whichever its byte order and first character', () => {
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
  it.each([
    ['big-endian, with a byte order mark', utf16be('\ufeff{"roles": []}')],
    ['big-endian, without one', utf16be('{"roles": []}')],
    ['little-endian, beginning with a line break', Buffer.from('\n{"roles": []}', 'utf16le')],
  ])('%s', (_, data) => {
    expect(notUtf8(data)).toBe('it is UTF-16 text (save it as UTF-8)');
  });

  it('none for UTF-8, whatever its characters', () => {
    expect(notUtf8(Buffer.from('\n{"name": "r\u00f4le \u20ac"}'))).toBeUndefined();
    expect(notUtf8(Buffer.from('\ufeff{}'))).toBeUndefined(); // its byte order mark is jsonMistake's to name
  });
});
