/** RFC 3339 with fractional seconds only when non-zero (Go's RFC3339Nano), at the given UTC offset. */
export function rfc3339(date: Date, offsetMinutesWest: number): string {
  const local = new Date(date.getTime() - offsetMinutesWest * 60_000);
  const text = local.toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
  if (offsetMinutesWest === 0) return text;
  const sign = offsetMinutesWest > 0 ? '-' : '+';
  const minutes = Math.abs(offsetMinutesWest);
  const offset = `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return text.replace(/Z$/, offset);
}
