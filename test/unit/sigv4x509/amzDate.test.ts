import { describe, expect, it } from 'vitest';
import { amzDate } from '../../../src/sigv4x509/amzDate.js';

describe('amzDate', () => {
  it.each([
    ['2024-01-02T03:04:05.678Z', '20240102T030405Z', '20240102'],
    ['2026-12-31T23:59:59.999Z', '20261231T235959Z', '20261231'],
    ['2030-10-10T10:10:10.000Z', '20301010T101010Z', '20301010'],
  ])('%s is %s in the scope date %s, whatever the local time zone', (iso, timestamp, shortDate) => {
    expect(amzDate(new Date(iso))).toEqual({ timestamp, shortDate });
  });
});
