import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Below this many days left, renewing is worth planning. */
const RENEW_SOON_DAYS = 30;
/** Below this many days left, renewing is urgent: an outage is days away. */
const RENEW_NOW_DAYS = 7;

/** Whether the certificate is valid now, and how long it has left. */
export function validityFinding(certificate: InspectedCertificate, now: Date): Finding {
  const { notBefore, notAfter } = certificate.parsed;
  if (now < notBefore) return fail('validity', `not valid until ${iso(notBefore)}`);
  if (now > notAfter) return fail('validity', `expired on ${iso(notAfter)}`);
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  const left = `valid until ${iso(notAfter)}, ${daysLeft === 0 ? 'less than a day' : daysLeft === 1 ? '1 day' : `${daysLeft} days`} left`;
  if (daysLeft < RENEW_NOW_DAYS) return warn('validity', `${left}: renew it now`, { urgent: true });
  if (daysLeft < RENEW_SOON_DAYS) return warn('validity', `${left}: plan its renewal`);
  return pass('validity', left);
}

/** ISO 8601 to the second, as the certificate holds it. */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
