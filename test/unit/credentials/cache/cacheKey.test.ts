import { describe, expect, it } from 'vitest';
import { cacheEntryName, cacheKeyMaterial } from '../../../../src/credentials/cache/cacheKey.js';
import type { RolesAnywhereOptions } from '../../../../src/credentials/rolesAnywhereSession.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { generateKey, pkcs8Pem } from '../../../../src/emulator/pki/generateKey.js';

const base: RolesAnywhereOptions = {
  certificate: 'pkcs11:token=t;object=o',
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/a',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p',
  roleArn: 'arn:aws:iam::123456789012:role/r',
  version: 'test',
};
const content = (data: string | Buffer) => ({ content: Buffer.from(data), name: 'certificate content' });

describe('cache keys', () => {
  it('key an entry on the certificate itself, not on where it is or on the key beside it', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Cache Key CA' });
    const key = generateKey('ec-p256');
    const issued = await ca.issue({ subject: 'CN=cached', publicKey: key.spki });
    const renewed = await ca.issue({ subject: 'CN=cached', publicKey: key.spki });
    const of = (certificate: string | Buffer) => cacheKeyMaterial({ ...base, certificate: content(certificate) }, {});
    expect(of(issued.pem)).toBe(of(`${pkcs8Pem(key)}${issued.pem}`)); // a combined file's key is left out
    expect(of(issued.pem)).not.toContain(pkcs8Pem(key).split('\n')[1]);
    expect(of(issued.pem)).not.toBe(of(renewed.pem));
    expect(of(issued.der)).not.toBe(of(renewed.der));
    expect(of(issued.der)).not.toContain(issued.der.toString('base64').slice(0, 40)); // DER and PKCS#12 bytes only as a digest
  });

  it('key an entry on the chain given with --intermediates, by its certificates (mutation testing: a chain left out of the key went unnoticed)', async () => {
    const ca = await CertificateAuthority.create({ subject: 'CN=Chain Key CA' });
    const [one, other] = [await ca.issue({ subject: 'CN=intermediate' }), await ca.issue({ subject: 'CN=intermediate' })];
    const of = (intermediates?: string) => cacheKeyMaterial({ ...base, ...(intermediates === undefined ? {} : { intermediates: content(intermediates) }) }, {});
    expect(new Set([of(), of(one.pem), of(other.pem), of(`${one.pem}${other.pem}`)]).size).toBe(4);
    expect(of(one.pem)).toBe(of(`# a comment\n${one.pem}`));
  });

  it('key a pkcs11: certificate on its URI and module, not on the PIN in it', () => {
    const of = (certificate: string, pkcs11Lib?: string) => cacheKeyMaterial({ ...base, certificate, pkcs11Lib }, {});
    expect(of('pkcs11:token=t;object=o?pin-value=pin-9z8y')).toBe(of('pkcs11:token=t;object=o'));
    expect(of('pkcs11:token=t;object=o')).not.toBe(of('pkcs11:token=t;object=other'));
    expect(of('pkcs11:token=t;object=o', '/a.so')).not.toBe(of('pkcs11:token=t;object=o', '/b.so'));
    expect(of('pkcs11:token=t;object=o?pin-value=pin-9z8y')).not.toContain('pin-9z8y');
  });

  it('key every request option, and the environment variables that choose the endpoint', () => {
    const material = cacheKeyMaterial(base, {});
    for (const change of [{ roleArn: 'arn:aws:iam::123456789012:role/other' }, { durationSeconds: 900 }, { roleSessionName: 's1' },
      { endpoint: 'https://example.com' }, { region: 'eu-west-1' }, { profileArn: 'x' }, { trustAnchorArn: 'y' },
      { useFipsEndpoint: true }, { useFipsEndpoint: false }, { useDualstackEndpoint: true }, { useDualstackEndpoint: false }]) {
      expect(cacheKeyMaterial({ ...base, ...change }, {})).not.toBe(material);
    }
    for (const variable of ['AWS_ENDPOINT_URL_ROLESANYWHERE', 'AWS_ENDPOINT_URL', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_REGION']) {
      expect(cacheKeyMaterial(base, { [variable]: 'x' })).not.toBe(material);
    }
    expect(cacheKeyMaterial({ ...base, pkcs8Password: 'p', privateKey: '/k.pem' }, { HOME: '/h' })).toBe(material);
  });

  it("key the calling client's Region only where the trust anchor's ARN and the region option give none", () => {
    const material = cacheKeyMaterial(base, {});
    expect(cacheKeyMaterial({ ...base, fallbackRegion: 'eu-west-2' }, {})).toBe(material);
    const regionless = { ...base, trustAnchorArn: 'arn:aws:rolesanywhere::123456789012:trust-anchor/a' };
    expect(cacheKeyMaterial({ ...regionless, fallbackRegion: 'eu-west-2' }, {})).not.toBe(cacheKeyMaterial(regionless, {}));
    expect(cacheKeyMaterial({ ...regionless, region: 'us-east-1', fallbackRegion: 'eu-west-2' }, {})).toBe(
      cacheKeyMaterial({ ...regionless, region: 'us-east-1' }, {}),
    );
  });

  it('key the chained role and the fallbacks, and leave a plain CreateSession\'s key as it was', () => {
    const plain = cacheKeyMaterial(base, {});
    expect(cacheKeyMaterial({ ...base, fallbacks: [] }, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' })).toBe(plain);
    const chained = { ...base, assumeRoleArn: 'arn:aws:iam::210987654321:role/a' };
    const west = { trustAnchorArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/w', profileArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/w' };
    const materials = [
      plain,
      cacheKeyMaterial(chained, {}),
      cacheKeyMaterial({ ...chained, assumeRoleArn: 'arn:aws:iam::210987654321:role/b' }, {}),
      cacheKeyMaterial({ ...chained, externalId: 'x-1' }, {}),
      cacheKeyMaterial({ ...chained, assumeRoleDurationSeconds: 900 }, {}),
      cacheKeyMaterial({ ...chained, assumeRoleSessionName: 'named' }, {}),
      cacheKeyMaterial({ ...chained, stsEndpoint: 'http://127.0.0.1:1' }, {}),
      cacheKeyMaterial(chained, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' }),
      cacheKeyMaterial({ ...base, fallbacks: [west] }, {}),
      cacheKeyMaterial({ ...base, fallbacks: [{ ...west, endpoint: 'http://127.0.0.1:2' }] }, {}),
      cacheKeyMaterial({ ...base, fallbacks: [west, west] }, {}),
    ];
    expect(new Set(materials).size).toBe(materials.length);
    // The default duration counts as given, as the Roles Anywhere session's does.
    expect(cacheKeyMaterial({ ...chained, assumeRoleDurationSeconds: 3600 }, {})).toBe(materials[1]);
    // A fallback is keyed on what it says, whatever the order of its fields (QA: another order missed the entry).
    const reordered = { endpoint: 'http://127.0.0.1:2', profileArn: west.profileArn, trustAnchorArn: west.trustAnchorArn };
    expect(cacheKeyMaterial({ ...base, fallbacks: [reordered] }, {})).toBe(materials[9]);
  });

  it('key each field of a fallback (mutation testing: any one of them left out of the key went unnoticed)', () => {
    const west = {
      trustAnchorArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:trust-anchor/w',
      profileArn: 'arn:aws:rolesanywhere:us-west-2:123456789012:profile/w',
      endpoint: 'http://127.0.0.1:2',
      stsEndpoint: 'http://127.0.0.1:3',
    };
    const materials = [
      cacheKeyMaterial({ ...base, fallbacks: [west] }, {}),
      cacheKeyMaterial({ ...base, fallbacks: [{ ...west, trustAnchorArn: `${west.trustAnchorArn}2` }] }, {}),
      cacheKeyMaterial({ ...base, fallbacks: [{ ...west, profileArn: `${west.profileArn}2` }] }, {}),
      cacheKeyMaterial({ ...base, fallbacks: [{ ...west, endpoint: 'http://127.0.0.1:4' }] }, {}),
      cacheKeyMaterial({ ...base, fallbacks: [{ ...west, stsEndpoint: 'http://127.0.0.1:4' }] }, {}),
    ];
    expect(new Set(materials).size).toBe(materials.length);
  });

  it("key chaining options given without a role, or an empty role, apart from the plain CreateSession's entry, which the session refuses them", () => {
    const plain = cacheKeyMaterial(base, {});
    for (const stray of [{ externalId: 'ext-123' }, { assumeRoleSessionName: 'named' }, { assumeRoleDurationSeconds: 900 }, { stsEndpoint: 'http://127.0.0.1:1' }]) {
      expect(cacheKeyMaterial({ ...base, ...stray }, {}), JSON.stringify(stray)).not.toBe(plain);
      expect(cacheKeyMaterial({ ...base, assumeRoleArn: '', ...stray }, {}), JSON.stringify(stray)).not.toBe(plain);
    }
    expect(cacheKeyMaterial({ ...base, assumeRoleArn: '' }, {})).not.toBe(plain);
  });

  it('name entries by 64 bits of the material', () => {
    expect(cacheEntryName('a')).toMatch(/^[0-9a-f]{16}\.json$/);
    expect(cacheEntryName('a')).toBe(cacheEntryName('a'));
    expect(cacheEntryName('a')).not.toBe(cacheEntryName('b'));
  });
});
