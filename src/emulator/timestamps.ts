/**
 * Timestamps as the services write them, read and written by the emulator itself rather than with the
 * client's helpers, so that a mistake in one does not hide the same mistake in the other.
 */

/** ISO 8601 to the second (`2024-01-02T03:04:05Z`), as credentials' expirations are written. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The SigV4 timestamp (`20240102T030405Z`). */
export function parseAmzDate(value: string | string[] | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(value ?? ''));
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

function formatAmzDate(date: Date): string {
  return isoSeconds(date).replace(/[-:]/g, '');
}

/**
 * Why a request's X-Amz-Date is refused, as AWS's services word it (`Signature expired: 20240102T030405Z is
 * now earlier than … (… - 15 min.)`, or `Signature not yet current: …`); undefined within maxSkewMs of now.
 */
export function amzDateSkewProblem(amzDate: Date, now: Date, maxSkewMs: number): string | undefined {
  const minutes = `${Math.round(maxSkewMs / 60_000)} min.`;
  if (amzDate.getTime() < now.getTime() - maxSkewMs) {
    return `Signature expired: ${formatAmzDate(amzDate)} is now earlier than ${formatAmzDate(new Date(now.getTime() - maxSkewMs))} (${formatAmzDate(now)} - ${minutes})`;
  }
  if (amzDate.getTime() > now.getTime() + maxSkewMs) {
    return `Signature not yet current: ${formatAmzDate(amzDate)} is still later than ${formatAmzDate(new Date(now.getTime() + maxSkewMs))} (${formatAmzDate(now)} + ${minutes})`;
  }
  return undefined;
}
