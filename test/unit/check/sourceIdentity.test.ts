import { beforeAll, describe, expect, it } from 'vitest';
import { inspectCertificate } from '../../../src/check/inspectedCertificate.js';
import { sourceIdentityFinding } from '../../../src/check/sourceIdentity.js';
import { sourceIdentityProblem } from '../../../src/rolesAnywhereRules/sourceIdentity.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';

let ca: CertificateAuthority;
beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Source Identity Root' });
});

const findingFor = async (subject: string, serialNumber?: string) =>
  sourceIdentityFinding(inspectCertificate((await ca.issue({ subject, ...(serialNumber ? { serialNumber } : {}) })).der));

describe('the source identity the service sets (User Guide, Source identity rules)', () => {
  it('"CN=" and the CN: letters, digits and _+=,.@- pass, as AssumeRole\'s SourceIdentity pattern [\\w+=,.@-]* takes them', async () => {
    expect(await findingFor('CN=svc_a=b.c@d-e\\+f,O=Org')).toEqual({
      check: 'sourceIdentity',
      status: 'pass',
      message: 'source identity "CN=svc_a=b.c@d-e+f" (the subject CN)',
    });
  });

  it('a CN of one character passes: with its prefix it has 4', async () => {
    expect(await findingFor('CN=a')).toEqual({ check: 'sourceIdentity', status: 'pass', message: 'source identity "CN=a" (the subject CN)' });
  });

  it('a CN of 61 characters keeps the prefix; one of 62 to 64 has none', async () => {
    expect((await findingFor(`CN=${'x'.repeat(61)}`)).message).toBe(`source identity "CN=${'x'.repeat(61)}" (the subject CN)`);
    expect(await findingFor(`CN=${'y'.repeat(62)}`)).toEqual({
      check: 'sourceIdentity',
      status: 'pass',
      message: `source identity "${'y'.repeat(62)}" (the subject CN, without a prefix as it is longer than 61 characters)`,
    });
    expect((await findingFor(`CN=${'z'.repeat(64)}`)).status).toBe('pass');
  });

  it('a CN of 65 characters fails: STS takes 2 to 64', async () => {
    const commonName = 'x'.repeat(65);
    expect(await findingFor(`CN=${commonName}`)).toMatchObject({
      status: 'fail',
      message: `source identity "${commonName}" (the subject CN, without a prefix as it is longer than 61 characters): STS takes a source identity of 2 to 64 characters, not 65`,
    });
  });

  it('without a CN, "ID=" and the serial number in hex, left-padded with zero to an even length', async () => {
    expect(await findingFor('O=No Common Name', '0123')).toEqual({
      check: 'sourceIdentity',
      status: 'pass',
      message: 'source identity "ID=0123" (the serial number, as the subject has no CN)',
    });
    expect((await findingFor('O=No Common Name', '4567')).message).toMatch(/^source identity "ID=4567" /);
  });

  it('a letter beyond ASCII fails, naming it', async () => {
    expect(await findingFor('CN=Jürgen')).toMatchObject({
      status: 'fail',
      message: 'source identity "CN=Jürgen" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not "ü"',
    });
  });

  it('a CN with a space is a warning, as the service may rewrite it', async () => {
    expect(await findingFor('CN=John Smith')).toEqual({
      check: 'sourceIdentity',
      status: 'warn',
      message:
        'source identity "CN=John Smith" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not spaces; ' +
        'whether the service refuses or rewrites such a CN is not documented',
    });
  });

  it('a CN with parentheses fails, naming them', async () => {
    expect(await findingFor('CN=John (EMP1)')).toMatchObject({
      status: 'fail',
      message: 'source identity "CN=John (EMP1)" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not "(", ")"',
    });
  });

  it('a space is let through the source identity\'s alphabet (check warns of it), other whitespace is not (mutation QA)', () => {
    expect(sourceIdentityProblem('CN=John Smith')).toBeUndefined();
    expect(sourceIdentityProblem('CN=John\tSmith')).toBe('STS allows ASCII letters, digits and _+=,.@- in a source identity, not "\\t"');
    expect(sourceIdentityProblem('CN=John\u00a0Smith')).toBe('STS allows ASCII letters, digits and _+=,.@- in a source identity, not "\u00a0"');
  });
});
