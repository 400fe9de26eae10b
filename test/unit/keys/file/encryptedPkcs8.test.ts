import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeOctetString, encodeOctetString, encodeSequence, encodeSmallInteger, encoding, readRoot, sequence } from '../../../../src/asn1/der.js';
import { decryptPkcs8 } from '../../../../src/keys/file/encryptedPkcs8.js';
import { KeyParseError, WrongPasswordError } from '../../../../src/keys/keyParseError.js';
import { encryptPkcs8 } from '../../../support/encryptPkcs8.js';

const pkcs8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });

describe('decryptPkcs8 bounds the work a key may ask for (issue 13, item 8)', () => {
  it('decrypts OpenSSL\'s default scrypt parameters (N=2^14, r=8, p=1: 16 MiB)', async () => {
    expect((await decryptPkcs8(encryptPkcs8(pkcs8, 'pw', { kdf: 'scrypt' }), 'pw')).equals(pkcs8)).toBe(true);
  });

  it.each([
    [{ iterations: 0 }, 'PBKDF2 iteration count 0 is not positive'],
    [{ iterations: -5 }, 'PBKDF2 iteration count -5 is not positive'],
    [{ iterations: -70000 }, 'PBKDF2 iteration count -70000 is not positive'],
    [{ iterations: 10_000_001 }, 'PBKDF2 iteration count 10000001 is more than the 10000000 this helper allows'],
    [{ iterations: 2 ** 40 }, 'PBKDF2 iteration count 1099511627776 is more than the 10000000 this helper allows'],
  ])('refuses PBKDF2 parameters %j before deriving', async (claimed, message) => {
    await expect(decryptPkcs8(encryptPkcs8(pkcs8, 'pw', { claimed }), 'pw')).rejects.toThrow(message);
  });

  it.each([
    // Just over OpenSSL's 32 MiB: 128·8·(2^15+2) + 128·8 bytes.
    [{ N: 2 ** 15 }, 'scrypt parameters N=32768, r=8, p=1 need 32 MiB of memory, more than the 32 MiB OpenSSL allows'],
    [{ N: 2 ** 24 }, 'scrypt parameters N=16777216, r=8, p=1 need 16 GiB of memory, more than the 32 MiB OpenSSL allows'],
    [{ N: 2 ** 10, r: 8, p: 2 ** 20 }, 'scrypt parameters N=1024, r=8, p=1048576 need 1 GiB of memory, more than the 32 MiB OpenSSL allows'],
    [{ N: 1000 }, 'scrypt parameters N=1000, r=8, p=1 are invalid'],
    [{ N: 1 }, 'scrypt parameters N=1, r=8, p=1 are invalid'],
    [{ r: 0 }, 'scrypt parameters N=16384, r=0, p=1 are invalid'],
    [{ p: 0 }, 'scrypt parameters N=16384, r=8, p=0 are invalid'],
    [{ N: 2 ** 16, r: 1 }, 'scrypt parameters N=65536, r=1, p=1 are invalid'], // N must be below 2^(16·r)
    // Within the memory bound, but ~12 minutes of work (the QA pass's key): N·r·p is bounded too.
    [{ N: 2 ** 14, r: 8, p: 16000 }, 'scrypt parameters N=16384, r=8, p=16000 ask for N·r·p = 2097152000, more than the 16777216 this helper allows'],
    [{ N: 2 ** 14, r: 8, p: 600 }, 'scrypt parameters N=16384, r=8, p=600 ask for N·r·p = 78643200, more than the 16777216 this helper allows'],
    // Just past the bound (2^24 is p=128): mutation sweep, twice the bound passed.
    [{ N: 2 ** 14, r: 8, p: 129 }, 'scrypt parameters N=16384, r=8, p=129 ask for N·r·p = 16908288, more than the 16777216 this helper allows'],
  ])('refuses scrypt parameters %j before deriving', async (claimed, message) => {
    await expect(decryptPkcs8(encryptPkcs8(pkcs8, 'pw', { kdf: 'scrypt', claimed }), 'pw')).rejects.toThrow(message);
  });
});

describe('decryptPkcs8 derives the key off the main thread', () => {
  it('timers keep running while a key of 2,000,000 PBKDF2 iterations is derived (serve keeps answering)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      // The key claims more iterations than it was made with: derived all the same, then found wrong.
      await expect(decryptPkcs8(encryptPkcs8(pkcs8, 'pw', { claimed: { iterations: 2_000_000 } }), 'pw')).rejects.toThrow(WrongPasswordError);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('decryptPkcs8 on a damaged key', () => {
  /** The key with its encrypted data cut to `length` bytes (the DER around it re-encoded, so that it still reads). */
  const cut = (der: Buffer, length: number) => {
    const [algorithm, encryptedData] = sequence(readRoot(der));
    return encodeSequence(encoding(algorithm!), encodeOctetString(decodeOctetString(encryptedData!).subarray(0, length)));
  };

  it.each([[0], [1], [47], [63]])('says encrypted data of %i bytes (AES-CBC needs one or more whole 16-byte blocks) is damaged, not the password wrong', async (length) => {
    await expect(decryptPkcs8(cut(encryptPkcs8(pkcs8, 'pw'), length), 'pw')).rejects.toThrow(
      'damaged encrypted PKCS#8 key: its encrypted data is not whole 16-byte blocks',
    );
  });

  it.each([
    ['padded with zeros', () => encryptPkcs8(Buffer.concat([pkcs8, Buffer.alloc(16 - (pkcs8.length % 16))]), 'pw', { unpadded: true })],
    ['with stray bytes between the key and its padding', () => encryptPkcs8(Buffer.concat([pkcs8, Buffer.from('junk')]), 'pw')],
  ])('reads a key %s, as the reference does (it neither checks nor strips the padding), rather than saying the password is wrong (fuzzing QA)', async (_what, encrypt) => {
    expect((await decryptPkcs8(encrypt(), 'pw')).equals(pkcs8)).toBe(true);
  });

  it('reads a key of whole blocks, whose padding is a whole block', async () => {
    const whole = encodeSequence(encodeSmallInteger(0), encodeOctetString(Buffer.alloc(135, 7)));
    expect(whole).toHaveLength(144);
    expect((await decryptPkcs8(encryptPkcs8(whole, 'pw'), 'pw')).equals(whole)).toBe(true);
  });

  /** The key with its IV cut to `length` bytes (the DER around it re-encoded). */
  const withIv = (der: Buffer, length: number) => {
    const [algorithm, encryptedData] = sequence(readRoot(der));
    const [schemeOid, parameters] = sequence(algorithm!);
    const [kdf, encryption] = sequence(parameters!);
    const [cipherOid, iv] = sequence(encryption!);
    const scheme = encodeSequence(encoding(kdf!), encodeSequence(encoding(cipherOid!), encodeOctetString(decodeOctetString(iv!).subarray(0, length))));
    return encodeSequence(encodeSequence(encoding(schemeOid!), scheme), encoding(encryptedData!));
  };

  it.each([[0], [8], [15]])('says an AES IV of %i bytes is malformed, in words, not as OpenSSL\'s "Invalid initialization vector" (mutation sweep)', async (length) => {
    await expect(decryptPkcs8(withIv(encryptPkcs8(pkcs8, 'pw'), length), 'pw')).rejects.toThrow(
      new KeyParseError('malformed encrypted PKCS#8 key: bad IV length'),
    );
  });

  it('still says a wrong password is wrong', async () => {
    await expect(decryptPkcs8(encryptPkcs8(pkcs8, 'pw'), 'other')).rejects.toThrow('wrong password for encrypted PKCS#8 key');
  });
});
