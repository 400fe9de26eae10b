import { beforeAll, describe, expect, it } from 'vitest';
import { inspectCertificate } from '../../../src/check/inspectedCertificate.js';
import { sourceIdentityFinding } from '../../../src/check/sourceIdentity.js';
import { CertificateAuthority } from '../../../src/pki/certificateAuthority.js';

let ca: CertificateAuthority;
beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Source Identity Root' });
});

const findingFor = async (subject: string) => sourceIdentityFinding(inspectCertificate((await ca.issue({ subject })).der));

describe('the source identity the CN becomes', () => {
  it('letters, digits and _+=,.@- pass, as AssumeRole\'s SourceIdentity pattern [\\w+=,.@-]* takes them', async () => {
    expect(await findingFor('CN=svc_a=b.c@d-e\\+f,O=Org')).toEqual({
      check: 'sourceIdentity',
      status: 'pass',
      message: 'source identity "svc_a=b.c@d-e+f" (the subject CN)',
    });
  });

  it.each([
    ['a', 1],
    ['x'.repeat(65), 65],
  ])('a CN of %s fails: STS takes 2 to 64 characters', async (commonName, length) => {
    expect(await findingFor(`CN=${commonName}`)).toMatchObject({
      status: 'fail',
      message: `source identity "${commonName}" (the subject CN): STS takes a source identity of 2 to 64 characters, not ${length}`,
    });
  });

  it('a letter beyond ASCII fails, naming it', async () => {
    expect(await findingFor('CN=Jürgen')).toMatchObject({
      status: 'fail',
      message: 'source identity "Jürgen" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not "ü"',
    });
  });

  it('a CN with a space is a warning, as the service may rewrite it', async () => {
    expect(await findingFor('CN=John Smith')).toEqual({
      check: 'sourceIdentity',
      status: 'warn',
      message:
        'source identity "John Smith" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not spaces; ' +
        'whether the service refuses or rewrites such a CN is not documented',
    });
  });

  it('a CN with parentheses fails, naming them', async () => {
    expect(await findingFor('CN=John (EMP1)')).toMatchObject({
      status: 'fail',
      message: 'source identity "John (EMP1)" (the subject CN): STS allows ASCII letters, digits and _+=,.@- in a source identity, not " ", "(", ")"',
    });
  });

  it('no CN is a warning', async () => {
    expect((await findingFor('O=No Common Name')).status).toBe('warn');
  });
});
