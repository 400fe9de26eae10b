import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePublicKeyInfo } from '../../../../src/keys/certificate.js';
import { locatePrivateKeys, parsePrivateKey } from '../../../../src/keys/file/privateKey.js';
import { HelperError } from '../../../../src/errors.js';
import { Tag, encodeNode, encodeSequence, encoding, readRoot, sequence } from '../../../../src/asn1/der.js';
import { encodePem } from '../../../../src/asn1/pem.js';
import { generateKey } from '../../../../src/emulator/pki/generateKey.js';
import { encryptPkcs8 } from '../../../support/encryptPkcs8.js';
import { openssl } from '../../../support/scenario.js';

/** The key block the reference reads (the file key source's first), or a whole DER file. */
const firstLocatedKey = (data: Buffer) => locatePrivateKeys(data)[0]!;

const read = async (data: Buffer | string, password?: string) =>
  parsePrivateKey(firstLocatedKey(Buffer.from(data)), { password });

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('private key encodings', () => {
  it.each([
    ['PKCS#8 PEM', () => rsa.privateKey.export({ type: 'pkcs8', format: 'pem' })],
    ['PKCS#8 DER', () => rsa.privateKey.export({ type: 'pkcs8', format: 'der' })],
    ['PKCS#1 PEM', () => rsa.privateKey.export({ type: 'pkcs1', format: 'pem' })],
    ['PKCS#1 DER', () => rsa.privateKey.export({ type: 'pkcs1', format: 'der' })],
  ])('RSA %s signs PKCS#1 v1.5 signatures that verify', async (_name, encode) => {
    const key = await read(encode());
    expect(key.publicKey.keyType).toBe('RSA');
    for (const [digest, hash] of [['SHA256', 'sha256'], ['SHA384', 'sha384'], ['SHA512', 'sha512']] as const) {
      expect(verify(hash, Buffer.from('m'), rsa.publicKey, key.sign(Buffer.from('m'), digest))).toBe(true);
    }
  });

  it('reads a multi-prime RSA key in PKCS#1 DER (version 1), as in PEM (fuzzing QA: "not a private key")', async () => {
    const pem = openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_primes:3']);
    const der = openssl(['pkey', '-traditional', '-outform', 'DER'], pem);
    expect(der[4]).toBe(0x02); // version 1: 30 82 LL LL 02 01 01
    expect(der[6]).toBe(0x01);
    const key = await read(der);
    expect(verify('sha256', Buffer.from('m'), createPublicKey(pem), key.sign(Buffer.from('m'), 'SHA256'))).toBe(true);
  });

  it.each([
    ['PKCS#8 PEM', () => ec.privateKey.export({ type: 'pkcs8', format: 'pem' })],
    ['PKCS#8 DER', () => ec.privateKey.export({ type: 'pkcs8', format: 'der' })],
    ['SEC1 PEM', () => ec.privateKey.export({ type: 'sec1', format: 'pem' })],
    ['SEC1 DER', () => ec.privateKey.export({ type: 'sec1', format: 'der' })],
  ])('EC %s signs DER ECDSA signatures that verify', async (_name, encode) => {
    const key = await read(encode());
    expect(key.publicKey).toMatchObject({ keyType: 'EC', curve: 'P-256' });
    const signature = key.sign(Buffer.from('m'), 'SHA384');
    expect(signature[0]).toBe(0x30);
    expect(verify('sha384', Buffer.from('m'), { key: ec.publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
  });

  it('takes DER of no key shape for no key: a PKCS#1 version past 1, a SEC1 version other than 1, an encrypted key of no OCTET STRING (mutation sweep)', () => {
    const integer = (n: number) => encodeNode(Tag.INTEGER, Buffer.from([n]));
    for (const der of [encodeSequence(integer(2), integer(5)), encodeSequence(integer(0), encodeNode(Tag.OCTET_STRING, Buffer.from([1]))), encodeSequence(encodeSequence(), integer(1))]) {
      expect(() => firstLocatedKey(der), der.toString('hex')).toThrow('not a private key (expected PEM, or DER PKCS#8, SEC1 or PKCS#1)');
    }
  });

  it('finds the key among other PEM blocks (certificate first, EC PARAMETERS, comments)', async () => {
    const text = 'a comment\n' + openssl(['ecparam', '-name', 'prime256v1']).toString() + ec.privateKey.export({ type: 'sec1', format: 'pem' });
    expect((await read(text)).publicKey.curve).toBe('P-256');
  });

  it.each<[string, Parameters<typeof encryptPkcs8>[2]]>([
    ['AES-128-CBC, PBKDF2 HMAC-SHA1 (the ACM export shape)', { cipher: 'aes-128-cbc', prf: 'sha1' }],
    ['AES-192-CBC, PBKDF2 HMAC-SHA256', { cipher: 'aes-192-cbc', prf: 'sha256' }],
    ['AES-256-CBC, PBKDF2 HMAC-SHA512 with keyLength', { cipher: 'aes-256-cbc', prf: 'sha512', withKeyLength: true }],
    ['AES-256-CBC, scrypt', { kdf: 'scrypt' }],
  ])('decrypts encrypted PKCS#8: %s, PEM and DER', async (_name, options) => {
    const der = encryptPkcs8(ec.privateKey.export({ type: 'pkcs8', format: 'der' }), 'pw', options);
    for (const data of [der, encodePem('ENCRYPTED PRIVATE KEY', der)]) {
      const key = await read(data, 'pw');
      expect(key.publicKey.spki).toEqual(parsePublicKeyInfo(createPublicKey(ec.privateKey).export({ type: 'spki', format: 'der' })).spki);
    }
  });

  it("lists a PEM file's keys in the order the reference tries them, each type in file order, a damaged one whole, a legacy-encrypted one after the first left out (mutation sweep)", () => {
    const der = (n: number) => Buffer.from([Tag.INTEGER, 1, n]);
    const damaged = Buffer.from([Tag.SEQUENCE, 5, 1]);
    const legacy = encodePem('RSA PRIVATE KEY', der(9)).replace('-\n', '-\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n');
    const text = encodePem('RSA PRIVATE KEY', der(1)) + encodePem('EC PRIVATE KEY', der(2)) + encodePem('PRIVATE KEY', der(3)) + legacy + encodePem('PRIVATE KEY', damaged) + encodePem('ENCRYPTED PRIVATE KEY', der(4));
    expect(locatePrivateKeys(Buffer.from(text)).map(({ encoding, der }) => [encoding, der.toString('hex')])).toEqual([
      ['encrypted-pkcs8', '020104'], ['pkcs8', '020103'], ['pkcs8', damaged.toString('hex')], ['sec1', '020102'], ['pkcs1', '020101'],
    ]);
  });

  it('reads no AWS_ROLESANYWHERE_PKCS8_PASSWORD when a password was given (mutation sweep: one that is not UTF-8 refused the run)', async () => {
    const der = ec.privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'pw' });
    const fromEnv = () => {
      throw new Error('AWS_ROLESANYWHERE_PKCS8_PASSWORD read');
    };
    expect((await parsePrivateKey({ encoding: 'encrypted-pkcs8', der }, { password: 'pw', fromEnv })).publicKey.curve).toBe('P-256');
  });

  it('reads a PEM key whose DER is followed by stray bytes, as the reference (Go) and OpenSSL read it (fuzzing QA)', async () => {
    const stray = Buffer.from('00ff0a0d2020', 'hex');
    const encrypted = encryptPkcs8(ec.privateKey.export({ type: 'pkcs8', format: 'der' }), 'pw', {});
    const blocks: [string, Buffer, KeyObject, string?][] = [
      ['PRIVATE KEY', rsa.privateKey.export({ type: 'pkcs8', format: 'der' }), rsa.publicKey],
      ['PRIVATE KEY', ec.privateKey.export({ type: 'pkcs8', format: 'der' }), ec.publicKey],
      ['EC PRIVATE KEY', ec.privateKey.export({ type: 'sec1', format: 'der' }), ec.publicKey],
      ['ENCRYPTED PRIVATE KEY', encrypted, ec.publicKey, 'pw'],
    ];
    for (const [type, der, publicKey, password] of blocks) {
      const key = await read(encodePem(type, Buffer.concat([der, stray])), password);
      expect(verify('sha256', Buffer.from('m'), { key: publicKey, dsaEncoding: 'der' }, key.sign(Buffer.from('m'), 'SHA256')), type).toBe(true);
    }
  });

  it('decrypts 3DES-CBC PBES2 keys (openssl -v2 des3)', async () => {
    const pem = openssl(['pkcs8', '-topk8', '-v2', 'des3', '-passout', 'pass:pw'], rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect((await read(pem, 'pw')).publicKey.keyType).toBe('RSA');
  });

  it('says which problem an encrypted key has', async () => {
    const der = encryptPkcs8(ec.privateKey.export({ type: 'pkcs8', format: 'der' }), 'right', {});
    // Naming where the password came from (mutation sweep: the bare message passed).
    await expect(read(der, 'wrong')).rejects.toThrow(/^wrong password for encrypted PKCS#8 key \(given with pkcs8Password\)$/);
    await expect(parsePrivateKey(firstLocatedKey(der), { fromEnv: () => 'wrong' })).rejects.toThrow(/^wrong password for encrypted PKCS#8 key \(from AWS_ROLESANYWHERE_PKCS8_PASSWORD\)$/);
    await expect(read(der)).rejects.toThrow('the key is encrypted and no password was given (use pkcs8Password or AWS_ROLESANYWHERE_PKCS8_PASSWORD)');
    const pbes1 = openssl(['pkcs8', '-topk8', '-v1', 'PBE-SHA1-3DES', '-passout', 'pass:pw'], ec.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(read(pbes1, 'pw')).rejects.toThrow(/^unsupported encryption scheme 1\.2\.840\.113549\.1\.12\.1\.3 \(only PBES2 is supported/);
    // PBES2 with a cipher or PRF not read here: what to do about it, as for PBES1 (QA: the OID alone).
    const camellia = openssl(['pkcs8', '-topk8', '-v2', 'camellia-256-cbc', '-passout', 'pass:pw'], ec.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(read(camellia, 'pw')).rejects.toThrow(
      'unsupported encryption algorithm 1.2.392.200011.61.1.1.1.4 (AES-CBC and 3DES are supported; re-encrypt the key with `openssl pkcs8 -topk8 -v2 aes-256-cbc`)',
    );
    // A key derivation function not read here: PBKDF2's OID turned into its neighbour's (1.2.840.113549.1.5.13).
    const pbkdf2Oid = Buffer.from('06092a864886f70d01050c', 'hex');
    const encrypted = encryptPkcs8(ec.privateKey.export({ type: 'pkcs8', format: 'der' }), 'pw', {});
    const oddKdf = Buffer.from(encrypted);
    oddKdf.set(Buffer.from('06092a864886f70d01050d', 'hex'), encrypted.indexOf(pbkdf2Oid));
    await expect(read(oddKdf, 'pw')).rejects.toThrow(
      'unsupported key derivation function 1.2.840.113549.1.5.13 (re-encrypt the key with `openssl pkcs8 -topk8 -v2 aes-256-cbc`)',
    );
    const oddPrf = openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA512-224', '-passout', 'pass:pw'], ec.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(read(oddPrf, 'pw')).rejects.toThrow(/^unsupported PBKDF2 pseudo-random function [\d.]+ \(re-encrypt the key with `openssl pkcs8 -topk8 -v2 aes-256-cbc`\)$/);
  });

  it('asks once for the password of a key that fails for another reason than it (mutation sweep: it was asked three times)', async () => {
    const pbkdf2Oid = Buffer.from('06092a864886f70d01050c', 'hex');
    const encrypted = encryptPkcs8(ec.privateKey.export({ type: 'pkcs8', format: 'der' }), 'pw', {});
    const oddKdf = Buffer.from(encrypted);
    oddKdf.set(Buffer.from('06092a864886f70d01050d', 'hex'), encrypted.indexOf(pbkdf2Oid));
    const asked: string[] = [];
    await expect(parsePrivateKey(firstLocatedKey(oddKdf), { prompt: async (reason) => (asked.push(reason), 'pw') })).rejects.toThrow(/^unsupported key derivation function /);
    expect(asked).toEqual(['first']);
  });

  it('asks the prompt for a password, up to three times', async () => {
    const der = encryptPkcs8(ec.privateKey.export({ type: 'pkcs8', format: 'der' }), 'third', {});
    const asked: string[] = [];
    const answers = ['first', 'second', 'third'];
    const key = await parsePrivateKey(firstLocatedKey(der), { prompt: async (reason) => (asked.push(reason), answers.shift()!) });
    expect(key.publicKey.keyType).toBe('EC');
    expect(asked).toEqual(['first', 'again', 'again']);
  });

  it('asks for the password of a key renewed under another as for a renewed key, not an incorrect password (QA)', async () => {
    const der = encryptPkcs8(ec.privateKey.export({ type: 'pkcs8', format: 'der' }), 'renewed', {});
    const asked: string[] = [];
    const answers = ['wrong', 'renewed'];
    const key = await parsePrivateKey(firstLocatedKey(der), { typed: 'before', prompt: async (reason) => (asked.push(reason), answers.shift()!) });
    expect(key.publicKey.keyType).toBe('EC');
    expect(asked).toEqual(['renewed', 'again']);
  });

  it('refuses legacy OpenSSL-encrypted PEM with a way out', async () => {
    const legacy = openssl(['ec', '-aes256', '-passout', 'pass:pw'], ec.privateKey.export({ type: 'sec1', format: 'pem' }));
    await expect(read(legacy, 'pw')).rejects.toThrow('legacy OpenSSL-encrypted PEM keys are not supported; convert the key with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.pem -out NEW.pem`');
  });

  it('refuses unsupported curves and key types', async () => {
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    await expect(read(k1)).rejects.toThrow('unsupported EC curve secp256k1 (P-256, P-384 and P-521 are supported)');
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    await expect(read(ed)).rejects.toThrow('unsupported key type ed25519 (RSA, EC and ML-DSA keys are supported)');
  });

  it.each([512, 600, 1023])('refuses a %i-bit RSA key, as the reference does, in every encoding', async (bits) => {
    const small = generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      await expect(read(small.export({ type, format: 'pem' }))).rejects.toThrow(`${bits}-bit RSA keys are insecure (1024 bits at least)`);
    }
  });

  it('an RSA key whose prime is 0 (a damaged file) is refused in words, not as OpenSSL\'s "RSA lib" internal error', async () => {
    // Written by hand: Node 26 refuses to make such a key.
    const fields = sequence(readRoot(rsa.privateKey.export({ type: 'pkcs1', format: 'der' })));
    const damaged = encodePem('RSA PRIVATE KEY', encodeSequence(...fields.map((field, index) => (index === 5 ? encodeNode(Tag.INTEGER, Buffer.from([0])) : encoding(field)))));
    const key = await read(damaged);
    let error: unknown;
    try {
      key.sign(Buffer.from('m'), 'SHA256');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(HelperError);
    expect((error as Error).message).toMatch(/^the private key is damaged: it cannot sign \(error:.*RSA lib\)$/);
  });

  it('takes a 1024-bit RSA key, signing SHA-512', async () => {
    const key = await read(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'der' }));
    expect(key.sign(Buffer.from('m'), 'SHA512')).toHaveLength(128);
  });

  it('ML-DSA: refuses a key whose seed and expanded key disagree', async () => {
    const a = generateKey('ml-dsa-44');
    const b = generateKey('ml-dsa-44');
    const both = a.pkcs8('both');
    const seedOfB = b.pkcs8('seed').subarray(-32);
    const mixed = Buffer.from(both);
    mixed.set(seedOfB, both.indexOf(a.pkcs8('seed').subarray(-32)));
    await expect(read(mixed)).rejects.toThrow("ML-DSA-44 private key's seed and expanded key do not match");
  });

  it('ML-DSA: refuses an expanded key whose coefficients are out of range in words, not as an internal error (fuzzing QA)', async () => {
    const damaged = Buffer.from(generateKey('ml-dsa-44').pkcs8('expanded'));
    // The expanded key ends the file: rho, K and tr (128 bytes), then s1, whose 3-bit coefficients 5 to 7 are out of range.
    damaged[damaged.length - 2560 + 128] = 0xff;
    const error = await read(damaged).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(HelperError);
    expect((error as Error).message).toBe('invalid ML-DSA-44 expanded private key (malformed key s1/s3 -5 outside of ETA range [-2, 2])');
  });
});

describe('a key file saved as UTF-16', () => {
  it('is said to be UTF-16 rather than no key (QA: Windows PowerShell 5 writes a file with > or Out-File as UTF-16)', () => {
    const pem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pem, 'utf16le')]);
    expect(() => firstLocatedKey(data)).toThrow('it is UTF-16 text, as Windows PowerShell 5 writes with > or Out-File: save it as UTF-8 or ASCII');
  });
});
