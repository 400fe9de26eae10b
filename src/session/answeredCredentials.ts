import { MalformedResponseError } from '../http/operationCall.js';

/**
 * A key or token of an answer (CreateSession's, STS's), printable ASCII without blanks, as every output
 * writes it as given: a line break in one, written into the credentials file by update, started a line of
 * its own (QA: "\n[evil]\ncredential_process = …" made a profile that runs a command). `field` names it
 * as the message does; the value is never shown.
 */
export function answeredKey(value: string, field: string): string {
  if (!/^[!-~]+$/.test(value)) throw new MalformedResponseError(`${field} holds a blank, control or non-ASCII character`);
  return value;
}

/** A date and time with its zone, as RFC 3339 writes it (fractions of a second allowed). */
const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;

/**
 * An answer's expiration, an RFC 3339 date and time with its zone: what else Date takes is read as local
 * time (`2026-12-05T03:00:00`) or as a date far off (`2027`: January 1st, handed out as such; QA), and
 * Date reads a day the month has not as one of the next (`02-30` as March 2nd) and hour 24 as the next day.
 */
export function answeredExpiration(text: string, field: string): Date {
  const expiration = new Date(text);
  const [, year, month, day, hour] = RFC3339.exec(text)?.map(Number) ?? [];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (hour === undefined || hour > 23 || day! > daysInMonth || Number.isNaN(expiration.getTime())) {
    throw new MalformedResponseError(`${field} "${text}" is not a date and time with its zone (RFC 3339)`);
  }
  return expiration;
}
