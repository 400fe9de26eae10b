/**
 * What a refusal of the request's date (`Signature expired`, `Signature not yet current`: an AWS service
 * found it too far from its own clock) says of this machine's clock, from the answer's `Date`: ` (this
 * machine's clock is 6 min ahead of the service's, whose answer is dated …: check its time
 * synchronisation)`; else ''. Every signed operation's refusal gets it (callOperation).
 */
export function clockSkewHint(headers: Readonly<Record<string, string>>, message: string, now = Date.now()): string {
  if (!/^Signature (expired|not yet current)/.test(message)) return '';
  const serviceTime = Date.parse(headers.date ?? '');
  if (Number.isNaN(serviceTime)) return '';
  const skewSeconds = Math.round((now - serviceTime) / 1000);
  // The Date header is to the second, and the answer took a moment: a minute or less says nothing.
  if (Math.abs(skewSeconds) <= 60) return '';
  const minutes = Math.round(Math.abs(skewSeconds) / 60);
  const amount = minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
  return ` (this machine's clock is ${amount} ${skewSeconds > 0 ? 'ahead of' : 'behind'} the service's, whose answer is dated ${headers.date}: check its time synchronisation)`;
}
