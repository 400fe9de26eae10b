import { describe, expect, it } from 'vitest';
import { Tag, content, decodeTime, readRoot } from '../../../src/asn1/der.js';
import { encodeTime } from '../../../src/x509/time.js';

describe('encodeTime: UTCTime for 1950 to 2049, GeneralizedTime otherwise (RFC 5280 4.1.2.5)', () => {
  it.each([
    ['1949-12-31T23:59:59Z', Tag.GENERALIZED_TIME, '19491231235959Z'],
    ['1950-01-01T00:00:00Z', Tag.UTC_TIME, '500101000000Z'],
    ['2049-12-31T23:59:59Z', Tag.UTC_TIME, '491231235959Z'],
    // As a UTCTime, 50 is 1950: a certificate valid until 2050 would have expired a century ago.
    ['2050-01-01T00:00:00Z', Tag.GENERALIZED_TIME, '20500101000000Z'],
  ])('%s: tag %i, %s, read back as written', (iso, tag, text) => {
    const der = encodeTime(new Date(iso));
    expect([der[0], content(readRoot(der)).toString('latin1')]).toEqual([tag, text]);
    expect(decodeTime(readRoot(der)).toISOString()).toBe(new Date(iso).toISOString());
  });
});
