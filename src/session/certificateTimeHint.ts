import { isoSeconds } from '../isoSeconds.js';
import type { Certificate } from '../keys/certificate.js';

/**
 * What the certificate's dates have to do with a refusal of it (a 403 naming a certificate), which the
 * service's answer does not say: sent in the minutes before its start by this clock (NOT_BEFORE_LEEWAY_MS),
 * or, by the service's own clock (its answer's `Date`), not started yet (a CA whose clock runs ahead issued
 * it) or ended (this clock behind the service's). QA: "Untrusted Signing Certificate", and no word of a clock.
 * Not for other refusals (a disabled profile), which waiting would not mend (review).
 */
export function certificateTimeHint(status: number, message: string, certificate: Certificate, now: Date, headers: Readonly<Record<string, string>>): string {
  if (status !== 403 || !/certificate/i.test(message)) return '';
  const early = certificate.notBefore.getTime() - now.getTime();
  if (early > 0) {
    return ` (the certificate starts at ${isoSeconds(certificate.notBefore)}, in ${Math.ceil(early / 1000)} s by this clock: the service may not take it yet; try again then)`;
  }
  // To the second: a service time in the same second as a date says nothing of which came first.
  const serviceTime = Date.parse(headers.date ?? '');
  if (Number.isNaN(serviceTime)) return '';
  const dated = `the service's clock, whose answer is dated ${headers.date}`;
  const ahead = Math.floor((certificate.notBefore.getTime() - serviceTime) / 1000);
  if (ahead >= 1) {
    return ` (the certificate starts at ${isoSeconds(certificate.notBefore)}, ${ahead} s ahead of ${dated}: the service takes it from then (the clock of the CA that issued it may be ahead); try again then)`;
  }
  const ended = Math.floor((serviceTime - certificate.notAfter.getTime()) / 1000);
  if (ended >= 1) {
    return ` (the certificate ended at ${isoSeconds(certificate.notAfter)}, ${ended} s before ${dated}: this machine's clock is behind the service's; renew the certificate)`;
  }
  return '';
}
