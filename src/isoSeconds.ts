/** A date in ISO 8601 to the second (2026-12-02T15:33:10Z), as a certificate or CRL holds it: how every message writes one. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** This machine's clock, as messages about a date give it beside the date (a clock far off is the usual cause of a date refused). */
export function thisClockReads(now: Date): string {
  return `this machine's clock reads ${isoSeconds(now)}`;
}
