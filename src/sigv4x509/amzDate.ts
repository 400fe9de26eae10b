/** `20240102T030405Z` and `20240102`: the SigV4 timestamp and the date in the credential scope. */
export function amzDate(date: Date): { timestamp: string; shortDate: string } {
  const timestamp = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { timestamp, shortDate: timestamp.slice(0, 8) };
}
