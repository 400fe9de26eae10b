import { describe, expect, it } from 'vitest';
import { parseTagFlags } from '../../../src/cli/tagFlag.js';

describe('parseTagFlags (--assume-role-tag)', () => {
  it('splits at the first =, keeps an empty value, and takes __proto__ as a key like any other (review: it was dropped)', () => {
    const tags = parseTagFlags(['team=pay=ments', 'empty=', '__proto__=x']);
    expect(Object.entries(tags)).toEqual([['team', 'pay=ments'], ['empty', ''], ['__proto__', 'x']]);
    expect(() => parseTagFlags(['__proto__=x', '__proto__=y'])).toThrow('invalid argument "__proto__=y" for "--assume-role-tag" flag: the key __proto__ is given twice');
  });

  it('names the setting of a roles file that gives it', () => {
    expect(() => parseTagFlags(['team'], '"assume-role-tag"')).toThrow('invalid "assume-role-tag" "team": it is not KEY=VALUE');
  });
});
