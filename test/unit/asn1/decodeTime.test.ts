import { describe, expect, it } from 'vitest';
import { Tag, decodeTime, readRoot, encodeNode } from '../../../src/asn1/der.js';

const time = (tag: number, text: string) => decodeTime(readRoot(encodeNode(tag, Buffer.from(text, 'latin1'))));

describe('decodeTime', () => {
  it.each([
    ['491231235959Z', '2049-12-31T23:59:59.000Z'],
    ['500101000000Z', '1950-01-01T00:00:00.000Z'],
    ['240229120304Z', '2024-02-29T12:03:04.000Z'],
  ])('UTCTime %s is %s', (text, iso) => {
    expect(time(Tag.UTC_TIME, text).toISOString()).toBe(iso);
  });

  it.each([
    ['20500101000000Z', '2050-01-01T00:00:00.000Z'],
    ['99991231235959Z', '9999-12-31T23:59:59.000Z'],
    ['20240102030405.123Z', '2024-01-02T03:04:05.000Z'],
    // Date.UTC would read the years 0 to 99 as 1900 to 1999 (fuzzing QA).
    ['00500101000000Z', '0050-01-01T00:00:00.000Z'],
  ])('GeneralizedTime %s is %s', (text, iso) => {
    expect(time(Tag.GENERALIZED_TIME, text).toISOString()).toBe(iso);
  });

  it.each([
    [Tag.UTC_TIME, '2401020304Z', 'malformed UTCTime'],
    [Tag.UTC_TIME, '240102030405', 'malformed UTCTime'],
    [Tag.UTC_TIME, '240102030405+0100', 'malformed UTCTime'],
    [Tag.UTC_TIME, '240102030405.5Z', 'malformed UTCTime'],
    [Tag.UTC_TIME, '24010203040aZ', 'malformed UTCTime'],
    [Tag.GENERALIZED_TIME, '240102030405Z', 'malformed GeneralizedTime'],
    [Tag.GENERALIZED_TIME, '20240102030405.Z', 'malformed GeneralizedTime'],
    [Tag.GENERALIZED_TIME, '20240102030405.1xZ', 'malformed GeneralizedTime'],
    [Tag.OCTET_STRING, '240102030405Z', 'expected a time'],
    // Out of range, as Go refuses them, rather than carried into the next field (fuzzing QA: month 13, hour 99 read as April 2000).
    [Tag.UTC_TIME, '991399999999Z', 'malformed UTCTime'],
    [Tag.UTC_TIME, '230229000000Z', 'malformed UTCTime'],
    [Tag.UTC_TIME, '240100000000Z', 'malformed UTCTime'],
    [Tag.UTC_TIME, '240101240000Z', 'malformed UTCTime'],
    [Tag.UTC_TIME, '240101006000Z', 'malformed UTCTime'],
    [Tag.GENERALIZED_TIME, '20240101000060Z', 'malformed GeneralizedTime'],
    [Tag.GENERALIZED_TIME, '20240431000000Z', 'malformed GeneralizedTime'],
  ])('refuses tag %i %s', (tag, text, message) => {
    expect(() => time(tag, text)).toThrow(message);
  });
});
