import { beforeAll, describe, expect, it } from 'vitest';
import { inspectCertificate } from '../../../src/check/inspectedCertificate.js';
import { sessionTagFindings } from '../../../src/check/sessionTags.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { defaultSessionTags } from '../../../src/rolesAnywhereRules/sessionTags.js';

let ca: CertificateAuthority;
beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Tags Root,O=Example Corp,C=GB' });
});

const tagsOf = async (subject: string, subjectAltNames?: Parameters<CertificateAuthority['issue']>[0]['subjectAltNames']) =>
  defaultSessionTags(inspectCertificate((await ca.issue({ subject, subjectAltNames })).der).parsed);

describe('the session tags of the default attribute mapping', () => {
  it('every subject and issuer RDN, and the first DNS name, URI and directory name of the SAN', async () => {
    const tags = await tagsOf('CN=workload,OU=Platform,O=Example Corp,2.5.4.9=1 Main St', {
      dns: ['first.example', 'second.example'],
      ip: ['10.0.0.1'],
      uri: ['spiffe://example.org/workload', 'https://second.example/'],
      directoryName: ['CN=directory,O=Dir Org', 'CN=second directory'],
    });
    expect(tags).toEqual([
      { key: 'x509Subject/CN', value: 'workload' },
      { key: 'x509Subject/OU', value: 'Platform' },
      { key: 'x509Subject/O', value: 'Example Corp' },
      { key: 'x509Subject/STREET', value: '1 Main St' },
      { key: 'x509Issuer/CN', value: 'Tags Root' },
      { key: 'x509Issuer/O', value: 'Example Corp' },
      { key: 'x509Issuer/C', value: 'GB' },
      { key: 'x509SAN/DNS', value: 'first.example' },
      { key: 'x509SAN/URI', value: 'spiffe://example.org/workload' },
      { key: 'x509SAN/Name/CN', value: 'directory' },
      { key: 'x509SAN/Name/O', value: 'Dir Org' },
    ]);
    const findings = sessionTagFindings(tags);
    expect(findings.every((finding) => finding.status === 'pass')).toBe(true);
    expect(findings[0]).toEqual({ check: 'sessionTag', status: 'pass', message: 'session tag x509Subject/CN = "workload"', tag: tags[0] });
    expect(findings.at(-1)).toEqual({ check: 'sessionTagCount', status: 'pass', message: '11 session tags (STS accepts at most 50)' });
  });

  it("a CN with parentheses fails: STS's tag alphabet has none", async () => {
    const [cn] = sessionTagFindings(await tagsOf('CN=John M. Smith (EMP12345)'));
    expect(cn).toMatchObject({
      status: 'fail',
      message: 'session tag x509Subject/CN = "John M. Smith (EMP12345)": STS refuses "(", ")" in tag values',
    });
  });

  it('letters of any script, spaces, digits and _.:/=+-@ pass', async () => {
    const [cn] = sessionTagFindings(await tagsOf('CN=Zoë Ångström 名前 _.:/=+-@ 42'));
    expect(cn!.status).toBe('pass');
  });

  it('a value over 256 characters fails', () => {
    const [finding] = sessionTagFindings([{ key: 'x509Subject/OU', value: 'a'.repeat(257) }]);
    expect(finding!.message).toMatch(/: its value has 257 characters, over STS's 256$/);
    expect(sessionTagFindings([{ key: 'x509Subject/OU', value: 'a'.repeat(256) }])[0]!.status).toBe('pass');
  });

  it('a key over 128 characters fails', () => {
    const [finding] = sessionTagFindings([{ key: `x509Subject/${'K'.repeat(120)}`, value: 'v' }]);
    expect(finding!.message).toMatch(/: its key has 132 characters, over STS's 128$/);
  });

  it('the values of a repeated attribute are one tag, joined with "/" in the order of the certificate', async () => {
    const tags = await tagsOf('CN=alice,OU=Security,O=Example,OU=Engineering,OU=Research', { directoryName: ['CN=dir,OU=a,OU=b'] });
    expect(tags.filter((tag) => !tag.key.startsWith('x509Issuer/'))).toEqual([
      { key: 'x509Subject/CN', value: 'alice' },
      { key: 'x509Subject/OU', value: 'Security/Engineering/Research' },
      { key: 'x509Subject/O', value: 'Example' },
      { key: 'x509SAN/Name/CN', value: 'dir' },
      { key: 'x509SAN/Name/OU', value: 'a/b' },
    ]);
    const findings = sessionTagFindings(tags);
    expect(findings.filter((finding) => finding.status !== 'pass')).toEqual([]);
  });

  it('60 OU values are one tag, whose joined value is longer than STS takes; 60 attributes are more tags than it takes', async () => {
    const units = Array.from({ length: 60 }, (_, i) => `OU=unit-${i}`).join(',');
    const joined = await tagsOf(`CN=many units,${units}`);
    expect(joined.filter((tag) => tag.key === 'x509Subject/OU')).toHaveLength(1);
    expect(sessionTagFindings(joined).filter((finding) => finding.status === 'fail')).toEqual([
      expect.objectContaining({ check: 'sessionTag', message: expect.stringMatching(/^session tag x509Subject\/OU = "unit-0\/unit-1\/.*: its value has 469 characters, over STS's 256$/) }),
    ]);
    const attributes = Array.from({ length: 60 }, (_, i) => `1.3.6.1.4.1.99999.${i}=v`).join(',');
    const counts = sessionTagFindings(await tagsOf(`CN=many attributes,${attributes}`)).filter((finding) => finding.check === 'sessionTagCount');
    expect(counts).toEqual([
      {
        check: 'sessionTagCount',
        status: 'fail',
        message: "64 session tags: STS accepts at most 50 (a profile's attribute mapping can map fewer attributes)",
      },
    ]);
  });

  it('50 session tags pass, 51 fail (mutation QA: at most 50 was untested at its bound)', () => {
    const tags = (count: number) => Array.from({ length: count }, (_, i) => ({ key: `x509Subject/1.3.6.1.4.1.99999.${i}`, value: 'v' }));
    expect(sessionTagFindings(tags(50)).at(-1)).toEqual({ check: 'sessionTagCount', status: 'pass', message: '50 session tags (STS accepts at most 50)' });
    expect(sessionTagFindings(tags(51)).at(-1)).toMatchObject({ check: 'sessionTagCount', status: 'fail', message: expect.stringMatching(/^51 session tags: STS accepts at most 50 /) });
  });
});
