import { beforeAll, describe, expect, it } from 'vitest';
import { inspectCertificate, type InspectedCertificate } from '../../../src/check/inspectedCertificate.js';
import { validityFinding } from '../../../src/check/validity.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-06-01T12:00:00Z');
let ca: CertificateAuthority;

beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Validity Root', notBefore: new Date(NOW.getTime() - 400 * DAY) });
});

async function certificateValidFor(fromDays: number, toDays: number): Promise<InspectedCertificate> {
  const issued = await ca.issue({
    subject: 'CN=validity',
    notBefore: new Date(NOW.getTime() + fromDays * DAY),
    notAfter: new Date(NOW.getTime() + toDays * DAY),
  });
  return inspectCertificate(issued.der);
}

describe('validity now, and the days left', () => {
  it('passes with 30 days or more left', async () => {
    expect(validityFinding(await certificateValidFor(-1, 365), NOW)).toEqual({
      check: 'validity',
      status: 'pass',
      message: 'valid until 2027-06-01T12:00:00Z, 365 days left',
    });
  });

  it('warns under 30 days', async () => {
    expect(validityFinding(await certificateValidFor(-1, 20), NOW)).toEqual({
      check: 'validity',
      status: 'warn',
      message: 'valid until 2026-06-21T12:00:00Z, 20 days left: plan its renewal',
    });
  });

  it('warns urgently under 7 days (expiring in 3 days)', async () => {
    expect(validityFinding(await certificateValidFor(-1, 3), NOW)).toEqual({
      check: 'validity',
      status: 'warn',
      urgent: true,
      message: 'valid until 2026-06-04T12:00:00Z, 3 days left: renew it now',
    });
    // Under a day, in hours, then minutes (QA17: 3 minutes left read "less than a day").
    expect(validityFinding(await certificateValidFor(-1, 0.5), NOW).message).toBe('valid until 2026-06-02T00:00:00Z, 12 h left: renew it now');
    expect(validityFinding(await certificateValidFor(-1, 3 / 1440), NOW).message).toBe('valid until 2026-06-01T12:03:00Z, 3 min left: renew it now');
    expect(validityFinding(await certificateValidFor(-1, 30 / 86_400), NOW).message).toBe('valid until 2026-06-01T12:00:30Z, less than a minute left: renew it now');
  });

  it('fails once expired, and before it is valid', async () => {
    expect(validityFinding(await certificateValidFor(-30, -1), NOW)).toEqual({
      check: 'validity',
      status: 'fail',
      message: "expired on 2026-05-31T12:00:00Z, and this machine's clock reads 2026-06-01T12:00:00Z",
    });
    expect(validityFinding(await certificateValidFor(2, 100), NOW)).toMatchObject({
      status: 'fail',
      message: "not valid until 2026-06-03T12:00:00Z, and this machine's clock reads 2026-06-01T12:00:00Z",
    });
  });

  it('warns of a start less than 5 minutes ahead (a CA whose clock runs ahead), which credential-process sends', async () => {
    const certificate = await certificateValidFor(2, 100);
    const justBefore = new Date(certificate.parsed.notBefore.getTime() - 90_000);
    expect(validityFinding(certificate, justBefore)).toEqual({
      check: 'validity',
      status: 'warn',
      message: "not valid until 2026-06-03T12:00:00Z, 90 s ahead of this machine's clock: the service refuses it until then if this clock is right, and takes it now if this clock is behind the service's",
    });
  });

  // Mutation sweep: each bound could move by one, and rounding change, with every test passing.
  it('at its bounds: valid through notAfter itself, 30 and 7 days left not yet due, a day, an hour, a start 5 minutes ahead warned of, seconds ahead rounded up', async () => {
    expect(validityFinding(await certificateValidFor(-1, 0), NOW)).toMatchObject({ status: 'warn', message: 'valid until 2026-06-01T12:00:00Z, less than a minute left: renew it now' });
    expect(validityFinding(await certificateValidFor(-1, 30), NOW)).toMatchObject({ status: 'pass', message: 'valid until 2026-07-01T12:00:00Z, 30 days left' });
    expect(validityFinding(await certificateValidFor(-1, 7), NOW)).toEqual({ check: 'validity', status: 'warn', message: 'valid until 2026-06-08T12:00:00Z, 7 days left: plan its renewal' });
    expect(validityFinding(await certificateValidFor(-1, 1), NOW).message).toBe('valid until 2026-06-02T12:00:00Z, 1 day left: renew it now');
    expect(validityFinding(await certificateValidFor(-1, 1 / 24), NOW).message).toBe('valid until 2026-06-01T13:00:00Z, 1 h left: renew it now');
    const certificate = await certificateValidFor(2, 100);
    expect(validityFinding(certificate, new Date(certificate.parsed.notBefore.getTime() - 300_000))).toMatchObject({ status: 'warn', message: expect.stringContaining(', 300 s ahead') });
    expect(validityFinding(certificate, new Date(certificate.parsed.notBefore.getTime() - 89_500)).message).toContain(', 90 s ahead');
  });

  it('counts whole days left, never rounding up: 6.5 days is urgent, 29.5 days due (mutation QA: Math.round passed)', async () => {
    expect(validityFinding(await certificateValidFor(-1, 6.5), NOW)).toEqual({ check: 'validity', status: 'warn', urgent: true, message: 'valid until 2026-06-08T00:00:00Z, 6 days left: renew it now' });
    expect(validityFinding(await certificateValidFor(-1, 29.5), NOW)).toEqual({ check: 'validity', status: 'warn', message: 'valid until 2026-07-01T00:00:00Z, 29 days left: plan its renewal' });
  });
});
