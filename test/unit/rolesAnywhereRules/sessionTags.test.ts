import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { parseX509Certificate } from '../../../src/x509/x509Certificate.js';
import { defaultSessionTags } from '../../../src/rolesAnywhereRules/sessionTags.js';
import { tagFaults } from '../../../src/rolesAnywhereRules/sessionTagRules.js';

describe('defaultSessionTags', () => {
  it('names STREET, SERIALNUMBER, POSTALCODE and UID as the service names its specifiers, and keys other attributes by OID', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Tags Root,0.9.2342.19200300.100.1.1=root-uid' });
    const issued = await ca.issue({
      subject: 'CN=workload,2.5.4.9=1 Main St,2.5.4.5=A-1234,2.5.4.17=12345,0.9.2342.19200300.100.1.1=jdoe,1.3.6.1.4.1.99999.1=other',
      subjectAltNames: { directoryName: ['0.9.2342.19200300.100.1.1=dir-uid,2.5.4.5=B-5678'] },
    });
    expect(defaultSessionTags(parseX509Certificate(issued.der))).toEqual([
      { key: 'x509Subject/CN', value: 'workload' },
      { key: 'x509Subject/STREET', value: '1 Main St' },
      { key: 'x509Subject/SERIALNUMBER', value: 'A-1234' },
      { key: 'x509Subject/POSTALCODE', value: '12345' },
      { key: 'x509Subject/UID', value: 'jdoe' },
      { key: 'x509Subject/1.3.6.1.4.1.99999.1', value: 'other' },
      { key: 'x509Issuer/CN', value: 'Tags Root' },
      { key: 'x509Issuer/UID', value: 'root-uid' },
      { key: 'x509SAN/Name/UID', value: 'dir-uid' },
      { key: 'x509SAN/Name/SERIALNUMBER', value: 'B-5678' },
    ]);
  });
});

describe("tagFaults: STS's rules for a tag (API_Tag)", () => {
  it('takes letters of any script, spaces, digits and _.:/=+-@, 128 characters of key and 256 of value', () => {
    expect(tagFaults({ key: `x509Subject/${'K'.repeat(116)}`, value: `Zoë 名前 _.:/=+-@ 42${'v'.repeat(237)}` })).toEqual([]);
  });

  it('finds lengths first, then characters, the key before the value, in keys as in values', () => {
    expect(tagFaults({ key: `k(${'K'.repeat(127)}`, value: `(a), (b)${'v'.repeat(250)}` })).toEqual([
      { part: 'key', length: 129, maxLength: 128 },
      { part: 'value', length: 258, maxLength: 256 },
      { part: 'key', refused: ['('] },
      { part: 'value', refused: ['(', ')', ','] },
    ]);
  });

  it('any Unicode space separator is a tag character, as \\p{Z} in STS\'s pattern: no-break and ideographic spaces (mutation QA)', () => {
    expect(tagFaults({ key: 'x509Subject/CN', value: 'a\u00a0b\u3000c\u2003d' })).toEqual([]);
    // A tab is no space separator.
    expect(tagFaults({ key: 'x509Subject/CN', value: 'a\tb' })).toEqual([{ part: 'value', refused: ['\t'] }]);
  });
});
