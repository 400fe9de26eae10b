import { describe, expect, it } from 'vitest';
import { cacheEntryName, cacheKeyMaterial } from '../../../../src/credentials/cache/cacheKey.js';
import { CertificateAuthority } from '../../../../src/pki/certificateAuthority.js';
import { generateKey, pkcs8Pem } from '../../../../src/pki/generateKey.js';
import { resolveSessionConfig } from '../../../../src/session/sessionConfig.js';

const config = resolveSessionConfig(
  {
    trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/a',
    profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p',
    roleArn: 'arn:aws:iam::123456789012:role/r',
  },
  {},
);
const content = (text: string) => ({ content: Buffer.from(text), name: 'certificate content' });

describe('cache keys', () => {
  it('key an entry on the certificate itself, not on where it is or on the key beside it', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Cache Key CA' });
    const key = generateKey('ec-p256');
    const issued = await ca.issue({ subject: 'CN=cached', publicKey: key.spki });
    const renewed = await ca.issue({ subject: 'CN=cached', publicKey: key.spki });
    const of = (certificate: string) => cacheKeyMaterial({ certificate: content(certificate), intermediates: undefined, pkcs11Lib: undefined, config });
    expect(of(issued.pem)).toBe(of(`${pkcs8Pem(key)}${issued.pem}`)); // a combined file's key is left out
    expect(of(issued.pem)).not.toBe(of(renewed.pem));
    expect(of(issued.pem)).toContain(issued.der.toString('base64'));
  });

  it('key a pkcs11: certificate on its URI and module, not on the PIN in it', () => {
    const of = (uri: string, pkcs11Lib?: string) => cacheKeyMaterial({ certificate: uri, intermediates: undefined, pkcs11Lib, config });
    expect(of('pkcs11:token=t;object=o?pin-value=pin-9z8y')).toBe(of('pkcs11:token=t;object=o'));
    expect(of('pkcs11:token=t;object=o')).not.toBe(of('pkcs11:token=t;object=other'));
    expect(of('pkcs11:token=t;object=o', '/a.so')).not.toBe(of('pkcs11:token=t;object=o', '/b.so'));
    expect(of('pkcs11:token=t;object=o?pin-value=pin-9z8y')).not.toContain('pin-9z8y');
  });

  it('key every request parameter', () => {
    const with_ = (changes: object) =>
      cacheKeyMaterial({ certificate: 'pkcs11:token=t', intermediates: undefined, pkcs11Lib: undefined, config: { ...config, ...changes } });
    const base = with_({});
    for (const change of [{ roleArn: 'arn:aws:iam::123456789012:role/other' }, { durationSeconds: 900 }, { roleSessionName: 's1' },
      { endpoint: new URL('https://example.com') }, { signingRegion: 'eu-west-1' }, { profileArn: 'x' }, { trustAnchorArn: 'y' }]) {
      expect(with_(change)).not.toBe(base);
    }
  });

  it('name entries by 64 bits of the material', () => {
    expect(cacheEntryName('a')).toMatch(/^[0-9a-f]{16}\.json$/);
    expect(cacheEntryName('a')).toBe(cacheEntryName('a'));
    expect(cacheEntryName('a')).not.toBe(cacheEntryName('b'));
  });
});
