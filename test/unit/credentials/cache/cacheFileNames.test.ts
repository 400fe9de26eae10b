import { describe, expect, it } from 'vitest';
import { cacheFileKind } from '../../../../src/credentials/cache/cacheFileNames.js';

describe('cacheFileKind', () => {
  it.each([
    ['0123456789abcdef.json', 'entry'],
    ['0123456789abcdef.shortcut', 'shortcut'],
    ['0123456789abcdef.json.lock', 'lock'],
    ['.0123456789abcdef.json.lock.4242.k3x9a.gone', 'lock'],
    ['.0123456789abcdef.json.4242.k3x9a.tmp', 'temporary'],
    ['.0123456789abcdef.shortcut.7.q.tmp', 'temporary'],
  ])('%s is an %s', (name, kind) => expect(cacheFileKind(name)).toBe(kind));

  it.each([
    'README.txt',
    'notes.json',
    '0123456789ABCDEF.json',
    '0123456789abcdef0.json',
    '0123456789abcdef.shortcut.lock',
    '0123456789abcdef.json.lock.lock',
    '.0123456789abcdef.json.tmp',
    '.0123456789abcdef.json.pid.abc.tmp',
    '.notes.json.42.abc.tmp',
    '0123456789abcdef.json.42.abc.tmp',
    '.0123456789abcdef.json.42.abc.gone',
    '.0123456789abcdef.json.lock.gone',
    '0123456789abcdef.json.lock.42.abc.gone',
  ])('%s is none of the cache\'s', (name) => expect(cacheFileKind(name)).toBeUndefined());
});
