import { describe, expect, it } from 'vitest';
import type { Certificate } from '../../../src/keys/certificate.js';
import { certificateTimeHint } from '../../../src/session/certificateTimeHint.js';

const START = new Date('2026-12-07T10:00:00Z');
const END = new Date('2026-12-08T10:00:00Z');
// Only its dates count here.
const certificate = { notBefore: START, notAfter: END } as Certificate;
const UNTRUSTED = 'Untrusted Signing Certificate';
/** The hint for a refusal answered at `serviceTime` (its Date header, to the second) and seen at `now`. */
const hint = (now: Date, serviceTime?: Date, status = 403) => certificateTimeHint(status, UNTRUSTED, certificate, now, serviceTime ? { date: serviceTime.toUTCString() } : {});
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('certificateTimeHint', () => {
  it('rounds the wait for a certificate that starts within the second up, never to "in 0 s" (mutation QA)', () => {
    expect(hint(at(START, -1500))).toBe(' (the certificate starts at 2026-12-07T10:00:00Z, in 2 s by this clock: the service may not take it yet; try again then)');
    expect(hint(at(START, -200))).toContain(', in 1 s by this clock');
  });

  it('gives no hint for a refusal other than a 403, which waiting would not mend (mutation QA)', () => {
    expect(hint(at(START, -1500), undefined, 400)).toBe('');
  });

  it("says nothing of the service's clock when its answer is dated the second the certificate starts or ends: which came first is not known (mutation QA)", () => {
    expect(hint(at(START, 500), START)).toBe('');
    expect(hint(at(START, 500), at(START, -1000))).toBe(
      " (the certificate starts at 2026-12-07T10:00:00Z, 1 s ahead of the service's clock, whose answer is dated Mon, 07 Dec 2026 09:59:59 GMT: " +
        'the service takes it from then (the clock of the CA that issued it may be ahead); try again then)',
    );
    expect(hint(at(END, -500), END)).toBe('');
    expect(hint(at(END, -500), at(END, 1000))).toBe(
      " (the certificate ended at 2026-12-08T10:00:00Z, 1 s before the service's clock, whose answer is dated Tue, 08 Dec 2026 10:00:01 GMT: " +
        "this machine's clock is behind the service's; renew the certificate)",
    );
  });
});
