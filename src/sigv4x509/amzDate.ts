/** `20240102T030405Z` and `20240102`: the SigV4 timestamp and the date in the credential scope. */
export function amzDate(date: Date): { timestamp: string; shortDate: string } {
  // Built from the UTC fields rather than by editing toISOString() with regular expressions, whose first
  // use costs ~0.1 ms of every credential-process run.
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  const shortDate = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
  const timestamp = `${shortDate}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  return { timestamp, shortDate };
}
