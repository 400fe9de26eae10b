/** A date in ISO 8601 to the second (2026-12-02T15:33:10Z), as a certificate or CRL holds it: how every message writes one. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A date and time with its zone, as RFC 3339 writes it (and the services their expirations): what else Date
 * takes is read as local time (`2026-12-05T03:00:00`) or as a date far off (`2027`: January 1st).
 */
export const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
