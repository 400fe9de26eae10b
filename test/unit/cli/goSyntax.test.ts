import { describe, expect, it } from 'vitest';
import { parseGoBool, parseGoInt } from '../../../src/cli/goSyntax.js';
import { inOnePass } from '../../support/onePass.js';

describe('parseGoInt (strconv.ParseInt with base 0)', () => {
  it.each([
    ['3600', 3600n],
    ['+900', 900n],
    ['-5', -5n],
    ['0x708', 1800n],
    ['0X1F', 31n],
    ['0o17', 15n],
    ['017', 15n],
    ['0b101', 5n],
    ['1_000', 1000n],
    ['0x_1f', 31n],
    ['0', 0n],
    ['9223372036854775807', 9223372036854775807n],
  ])('%s → %s', (text, value) => {
    expect(parseGoInt(text)).toBe(value);
  });

  it.each(['', 'abc', '09', '1__0', '_1', '1_', '0x', '12a', ' 1', '1.5', '0b2'])('rejects %j as invalid syntax', (text) => {
    expect(() => parseGoInt(text)).toThrow(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  });

  it('rejects values beyond int64 as out of range', () => {
    expect(() => parseGoInt('9223372036854775808')).toThrow('strconv.ParseInt: parsing "9223372036854775808": value out of range');
    expect(parseGoInt('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(() => parseGoInt('-9223372036854775809')).toThrow('value out of range');
    expect(() => parseGoInt(`0x${'f'.repeat(17)}`)).toThrow('value out of range');
  });

  it('says a value of 130,000 digits is out of range in one pass (fuzzing QA: 1.5 s, the BigInt built digit by digit)', () => {
    const digits = '9'.repeat(130_000);
    expect(() => inOnePass(() => parseGoInt(digits), 250)).toThrow('value out of range');
  });
});

describe('parseGoBool (strconv.ParseBool)', () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('%s is true', (text) => expect(parseGoBool(text)).toBe(true));
  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('%s is false', (text) => expect(parseGoBool(text)).toBe(false));
  it.each(['yes', 'tRUE', ''])('rejects %j', (text) => {
    expect(() => parseGoBool(text)).toThrow(`strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
  });
});
