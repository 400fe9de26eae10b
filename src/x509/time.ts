import { Tag, encodeNode } from '../asn1/der.js';

/** A time as RFC 5280 §4.1.2.5 has it written: UTCTime for the years 1950 to 2049, GeneralizedTime otherwise, to the second. */
export function encodeTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  const digits = (value: number, width = 2) => String(value).padStart(width, '0');
  const rest = [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map((value) => digits(value)).join('');
  if (year >= 1950 && year < 2050) return encodeNode(Tag.UTC_TIME, Buffer.from(`${digits(year % 100)}${rest}Z`, 'latin1'));
  return encodeNode(Tag.GENERALIZED_TIME, Buffer.from(`${digits(year, 4)}${rest}Z`, 'latin1'));
}
