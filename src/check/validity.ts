import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { isoSeconds, thisClockReads } from '../isoSeconds.js';
import { NOT_BEFORE_LEEWAY_MS } from '../keys/notBeforeLeeway.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Below this many days left, renewing is worth planning. */
const RENEW_SOON_DAYS = 30;
/** Below this many days left, renewing is urgent: an outage is days away. */
const RENEW_NOW_DAYS = 7;

/** Whether the certificate is valid now, and how long it has left. */
export function validityFinding(certificate: InspectedCertificate, now: Date): Finding {
  const { notBefore, notAfter } = certificate.parsed;
  // Its end first, as usableCertificate: one that ends before it begins is never valid.
  if (now > notAfter) return fail('validity', `expired on ${isoSeconds(notAfter)}, and ${thisClockReads(now)}`);
  if (now < notBefore) {
    const ahead = `not valid until ${isoSeconds(notBefore)}`;
    // Just issued by a CA whose clock runs ahead: sent all the same (usableCertificate), the service judging.
    // Naming this clock, as credential-process does: a clock behind is the usual cause (QA time).
    if (notBefore.getTime() - now.getTime() > NOT_BEFORE_LEEWAY_MS) return fail('validity', `${ahead}, and ${thisClockReads(now)}`);
    // Said both ways (QA: "takes it" read as "will work", and the emulator, on this clock, refused it).
    const seconds = Math.ceil((notBefore.getTime() - now.getTime()) / 1000);
    return warn('validity', `${ahead}, ${seconds} s ahead of this machine's clock: the service refuses it until then if this clock is right, and takes it now if this clock is behind the service's`);
  }
  const left = `valid until ${isoSeconds(notAfter)}, ${timeLeft(notAfter, now)} left`;
  const renewal = renewalDue(notAfter, now);
  return renewal ? warn('validity', `${left}: ${renewal.advice}`, renewal.urgent ? { urgent: true } : {}) : pass('validity', left);
}

/**
 * How long a certificate valid until `notAfter` has left: `3 days`, `1 day`, and under a day in hours or
 * minutes (`5 h`, `3 min`, `less than a minute`), which a short-lived certificate's user wants (QA).
 */
export function timeLeft(notAfter: Date, now: Date): string {
  const msLeft = notAfter.getTime() - now.getTime();
  const daysLeft = Math.floor(msLeft / DAY_MS);
  if (daysLeft > 0) return daysLeft === 1 ? '1 day' : `${daysLeft} days`;
  const minutesLeft = Math.floor(msLeft / 60_000);
  if (minutesLeft >= 60) return `${Math.floor(minutesLeft / 60)} h`;
  return minutesLeft > 0 ? `${minutesLeft} min` : 'less than a minute';
}

/** Whether a certificate valid until `notAfter` is due for renewal, and how urgently: undefined when not. */
export function renewalDue(notAfter: Date, now: Date): { readonly advice: string; readonly urgent: boolean } | undefined {
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (daysLeft < RENEW_NOW_DAYS) return { advice: 'renew it now', urgent: true };
  if (daysLeft < RENEW_SOON_DAYS) return { advice: 'plan its renewal', urgent: false };
  return undefined;
}
