import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contextTag, encodeNode, encodeOctetString, encodeOid, encodeSequence, encodeSmallInteger, encoding, readRoot, sequence } from '../../../../src/asn1/der.js';
import { encodePem } from '../../../../src/asn1/pem.js';
import { parsePublicKeyInfo } from '../../../../src/keys/certificate.js';
import { ecPrivateKeyJwk } from '../../../../src/keys/file/ecPrivateKeyJwk.js';
import { locatePrivateKeys, parsePrivateKey } from '../../../../src/keys/file/privateKey.js';
import { openssl } from '../../../support/scenario.js';

/** The key block the reference reads (the file key source's first), or a whole DER file. */
const firstLocatedKey = (data: Buffer) => locatePrivateKeys(data)[0]!;

// Keys from openssl, as users have them (and not generateKeyPairSync: Node 20 can deadlock exporting a
// JWK while its GC finalises a key-generation job).
const ecKey = (curve: string) => createPrivateKey(openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`]));
const sec1 = (key: KeyObject, ...options: string[]) => openssl(['ec', '-outform', 'DER', ...options], key.export({ type: 'sec1', format: 'pem' }));

describe('ecPrivateKeyJwk', () => {
  it.each(['P-256', 'P-384', 'P-521'])('reads %s keys in PKCS#8 and SEC1 as Node exports their JWK', (curve) => {
    const key = ecKey(curve);
    const expected = { jwk: key.export({ format: 'jwk' }), ownPoint: true };
    expect(ecPrivateKeyJwk(key.export({ type: 'pkcs8', format: 'der' }), 'pkcs8')).toEqual(expected);
    expect(ecPrivateKeyJwk(key.export({ type: 'sec1', format: 'der' }), 'sec1')).toEqual(expected);
    // The public point computed from the private scalar: a key without one, or with it compressed, too.
    expect(ecPrivateKeyJwk(sec1(key, '-no_public'), 'sec1')).toEqual(expected);
    expect(ecPrivateKeyJwk(sec1(key, '-conv_form', 'compressed'), 'sec1')).toEqual(expected);
  });

  it('leaves to OpenSSL what it cannot read itself: another curve, RSA, what is not DER', () => {
    expect(ecPrivateKeyJwk(ecKey('secp256k1').export({ type: 'pkcs8', format: 'der' }), 'pkcs8')).toBeUndefined();
    const rsa = createPrivateKey(openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']));
    expect(ecPrivateKeyJwk(rsa.export({ type: 'pkcs8', format: 'der' }), 'pkcs8')).toBeUndefined();
    expect(ecPrivateKeyJwk(Buffer.from('not DER'), 'sec1')).toBeUndefined();
  });

  it('a key without its public point matches its certificate, and one whose point is off the curve is refused', async () => {
    const key = ecKey('P-256');
    const other = ecKey('P-256');
    const withoutPoint = await parsePrivateKey(firstLocatedKey(sec1(key, '-no_public')), {});
    expect(withoutPoint.isKeyOf(parsePublicKeyInfo(createPublicKey(key).export({ type: 'spki', format: 'der' })))).toBe(true);

    const der = key.export({ type: 'sec1', format: 'der' });
    const ownPoint = Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
    const foreignPoint = Buffer.from(other.export({ format: 'jwk' }).x!, 'base64url');
    const forged = Buffer.from(der.toString('hex').replace(ownPoint.toString('hex'), foreignPoint.toString('hex')), 'hex');
    expect(forged.equals(der)).toBe(false);
    await expect(parsePrivateKey(firstLocatedKey(forged), {})).rejects.toThrow("malformed SEC1 key: its public key is not its private key's");
  });

  it("refuses a key that carries another key's valid public point, which would match that key's certificate and sign what it does not verify (QA)", async () => {
    const key = ecKey('P-256');
    const other = ecKey('P-256');
    const swapPoint = (der: Buffer, form: 'uncompressed' | 'compressed') => {
      const point = (k: KeyObject) => sec1(k, '-conv_form', form).subarray(-(form === 'compressed' ? 33 : 65));
      const swapped = Buffer.from(der.toString('hex').replace(point(key).toString('hex'), point(other).toString('hex')), 'hex');
      expect(swapped.equals(der)).toBe(false);
      return swapped;
    };
    const refusal = (encoding: string) => `malformed ${encoding} key: its public key is not its private key's`;
    await expect(parsePrivateKey(firstLocatedKey(swapPoint(sec1(key), 'uncompressed')), {})).rejects.toThrow(refusal('SEC1'));
    await expect(parsePrivateKey(firstLocatedKey(swapPoint(sec1(key, '-conv_form', 'compressed'), 'compressed')), {})).rejects.toThrow(refusal('SEC1'));
    await expect(parsePrivateKey(firstLocatedKey(swapPoint(key.export({ type: 'pkcs8', format: 'der' }), 'uncompressed')), {})).rejects.toThrow(refusal('PKCS8'));
  });

  it.each([
    ['P-256', '1.2.840.10045.3.1.7'],
    ['secp256k1', '1.3.132.0.10'],
  ])('refuses a %s key whose private scalar is longer than its curve\'s, on which Node 20 and 22 abort in OpenSSL (QA)', async (curve, oid) => {
    const d = Buffer.from(ecKey(curve).export({ format: 'jwk' }).d!, 'base64url');
    const long = encodeSequence(encodeSmallInteger(1), encodeOctetString(Buffer.concat([Buffer.of(0xab, 0xcd), d])), encodeNode(contextTag(0, true), encodeOid(oid)));
    await expect(parsePrivateKey(firstLocatedKey(long), {})).rejects.toThrow('malformed SEC1 key');
  });

  it('leaves to OpenSSL, which refuses it as Go does, a PKCS#8 key whose version is no INTEGER, rather than reading around it (fuzzing QA)', async () => {
    const key = ecKey('P-256');
    const [, algorithm, privateKey] = sequence(readRoot(key.export({ type: 'pkcs8', format: 'der' })));
    // A byte changed: the version's INTEGER tag made a context tag's.
    const damaged = encodeSequence(encodeNode(contextTag(2, false), Buffer.of(0)), encoding(algorithm!), encoding(privateKey!));
    expect(ecPrivateKeyJwk(damaged, 'pkcs8')).toBeUndefined();
    await expect(parsePrivateKey(firstLocatedKey(Buffer.from(encodePem('PRIVATE KEY', damaged))), {})).rejects.toThrow('malformed PKCS8 key');
  });

});
