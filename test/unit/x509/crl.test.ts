import { describe, expect, it } from 'vitest';
import { constants, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { DerError, Tag, contextTag, encodeBitString, encodeNode, encodeOid, encodeSequence, encodeSmallInteger, encoding, readRoot, sequence } from '../../../src/asn1/der.js';
import { decodePem } from '../../../src/asn1/pem.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { generateKey } from '../../../src/emulator/pki/generateKey.js';
import { CRL_MAX_NODES } from '../../../src/rolesAnywhereRules/crlFile.js';
import { parseCrl } from '../../../src/x509/crl.js';
import { encodeCrl } from '../../../src/x509/crlEncoder.js';
import { SIGNATURE_ALGORITHMS } from '../../../src/x509/signatureAlgorithms.js';
import { encodeTime } from '../../../src/x509/time.js';
import { openssl } from '../../support/scenario.js';
import * as x509 from '../../support/peculiarX509.js';

describe('parseCrl', () => {
  it('reads what @peculiar/x509 reads of a CRL: issuer, dates, entries; verifies its signature with its issuer\'s key only', async () => {
    for (const keyAlgorithm of ['rsa-2048', 'ec-p256', 'ml-dsa-65'] as const) {
      const ca = await CertificateAuthority.create({ subject: 'CN=CRL Root,O=Example', keyAlgorithm });
      const other = await CertificateAuthority.create({ subject: 'CN=CRL Root,O=Example', keyAlgorithm });
      const der = decodePem(await ca.crl(['0a', '00ff', '1234']))[0]!.der;
      const ours = parseCrl(der, CRL_MAX_NODES);
      if (keyAlgorithm !== 'ml-dsa-65') {
        const theirs = new x509.X509Crl(new Uint8Array(der));
        expect([ours.issuer, ours.thisUpdate, ours.nextUpdate]).toEqual([theirs.issuer, theirs.thisUpdate, theirs.nextUpdate]);
        expect(ours.entries.map((entry) => [entry.serialNumber, entry.revocationDate])).toEqual(theirs.entries.map((entry) => [entry.serialNumber, entry.revocationDate]));
      }
      expect(ours.entries.map((entry) => entry.serialNumber)).toEqual(['0a', 'ff', '1234']);
      expect(ours.findRevoked('ff')?.serialNumber).toBe('ff');
      expect(ours.findRevoked('0000ff')?.serialNumber).toBe('ff');
      expect(ours.findRevoked('0b')).toBeUndefined();
      expect(ours.verify(ca.certificate.der.subarray(0, 0))).toBe(false);
      const spki = (issued: CertificateAuthority) => new x509.X509Certificate(new Uint8Array(issued.certificate.der)).publicKey.rawData;
      expect(ours.verify(Buffer.from(spki(ca)))).toBe(true);
      expect(ours.verify(Buffer.from(spki(other)))).toBe(false);
    }
  });

  it('does not verify a CRL whose TBSCertList names another signature algorithm than the one it is signed with (RFC 5280 5.1.1.2), as @peculiar/x509 did not', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sha256WithRsa = encodeSequence(encodeNode(Tag.OID, Buffer.from('2a864886f70d01010b', 'hex')), encodeNode(Tag.NULL));
    const sha1WithRsa = encodeSequence(encodeNode(Tag.OID, Buffer.from('2a864886f70d010105', 'hex')), encodeNode(Tag.NULL));
    const fields = { issuer: encodeSequence(), thisUpdate: new Date(0), nextUpdate: new Date(0), revoked: ['0a'], revocationDate: new Date(0) };
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const sign = (data: Buffer) => cryptoSign('sha256', data, privateKey);
    expect(parseCrl(encodeCrl(fields, { algorithm: sha256WithRsa, sign }), CRL_MAX_NODES).verify(spki)).toBe(true);
    // The TBSCertList says SHA-1, the outer AlgorithmIdentifier (which the signature was made with) SHA-256.
    const inner = encodeCrl(fields, { algorithm: sha1WithRsa, sign });
    const [tbs] = sequence(readRoot(inner));
    const mixed = encodeSequence(encoding(tbs!), sha256WithRsa, encodeBitString(sign(encoding(tbs!))));
    expect(parseCrl(mixed, CRL_MAX_NODES).verify(spki)).toBe(false);
  });

  it('verifies a CRL signed by any RSA or ECDSA algorithm of the table over SHA-1 to SHA-512, the OIW\'s sha1WithRSASignature too, as Go and OpenSSL do; none over MD5, none by DSA', () => {
    const keys = { rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }), ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }) };
    const fields = { issuer: encodeSequence(), thisUpdate: new Date(0), nextUpdate: new Date(0), revoked: ['0a'], revocationDate: new Date(0) };
    const verified: string[] = [];
    for (const [oid, { key, hash }] of Object.entries(SIGNATURE_ALGORITHMS)) {
      if (key !== 'rsa' && key !== 'ec') continue;
      if (hash === 'MD2' || hash === 'MD4') continue; // OpenSSL 3 cannot make these
      const { privateKey, publicKey } = keys[key];
      const signer = { algorithm: encodeSequence(encodeOid(oid)), sign: (data: Buffer) => cryptoSign(hash.replace('-', '').toLowerCase(), data, privateKey) };
      if (parseCrl(encodeCrl(fields, signer), CRL_MAX_NODES).verify(publicKey.export({ format: 'der', type: 'spki' }))) verified.push(SIGNATURE_ALGORITHMS[oid]!.name);
    }
    expect(verified.sort()).toEqual([
      'ecdsa-with-SHA1', 'ecdsa-with-SHA224', 'ecdsa-with-SHA256', 'ecdsa-with-SHA384', 'ecdsa-with-SHA512',
      'sha1WithRSAEncryption', 'sha1WithRSASignature (OIW)', 'sha224WithRSAEncryption', 'sha256WithRSAEncryption', 'sha384WithRSAEncryption', 'sha512WithRSAEncryption',
    ]);
  });

  it('does not verify a CRL whose algorithm is of another key type than the key that signed it, as Go refuses the mix: ECDSA signed, RSA or RSASSA-PSS named; ML-DSA-44 signed, ML-DSA-65 named', () => {
    const fields = { issuer: encodeSequence(), thisUpdate: new Date(0), nextUpdate: new Date(0), revoked: ['0a'], revocationDate: new Date(0) };
    const ec = generateKey('ec-p256');
    const mlDsa44 = generateKey('ml-dsa-44');
    const ecdsa = (hash: string) => (data: Buffer) => cryptoSign(hash, data, ec.keyObject!);
    const verifies = (oid: string, parameters: Buffer[], sign: (data: Buffer) => Buffer, spki: Buffer) =>
      parseCrl(encodeCrl(fields, { algorithm: encodeSequence(encodeOid(oid), ...parameters), sign }), CRL_MAX_NODES).verify(spki);
    expect([
      verifies('1.2.840.10045.4.3.2', [], ecdsa('sha256'), ec.spki), // ecdsa-with-SHA256, as signed
      verifies('1.2.840.113549.1.1.11', [encodeNode(Tag.NULL)], ecdsa('sha256'), ec.spki), // sha256WithRSAEncryption
      verifies('1.2.840.113549.1.1.10', [encodeSequence()], ecdsa('sha1'), ec.spki), // RSASSA-PSS, SHA-1 by default
      verifies('2.16.840.1.101.3.4.3.17', [], mlDsa44.mlDsa!.sign, mlDsa44.spki), // ML-DSA-44, as signed
      verifies('2.16.840.1.101.3.4.3.18', [], mlDsa44.mlDsa!.sign, mlDsa44.spki), // ML-DSA-65
    ]).toEqual([true, false, false, true, false]);
  });

  it('does not verify a DSA-signed CRL, though the table names DSA algorithms: Go no longer verifies DSA signatures', () => {
    const { privateKey, publicKey } = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 224 });
    const fields = { issuer: encodeSequence(), thisUpdate: new Date(0), nextUpdate: new Date(0), revoked: ['0a'], revocationDate: new Date(0) };
    const sign = (data: Buffer) => cryptoSign('sha224', data, privateKey);
    const der = encodeCrl(fields, { algorithm: encodeSequence(encodeOid('2.16.840.1.101.3.4.3.1')), sign }); // dsa-with-SHA224
    expect(openssl(['crl', '-inform', 'DER', '-noout', '-text'], der).toString()).toContain('dsa_with_SHA224');
    expect(parseCrl(der, CRL_MAX_NODES).verify(publicKey.export({ format: 'der', type: 'spki' }))).toBe(false);
  });

  it('verifies an RSASSA-PSS CRL whose parameters leave the hash and salt length out: SHA-1 and 20 bytes (RFC 4055), as OpenSSL reads them', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const fields = { issuer: encodeSequence(), thisUpdate: new Date(0), nextUpdate: new Date(0), revoked: ['0a'], revocationDate: new Date(0) };
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const signedWithSalt = (saltLength: number) => (data: Buffer) => cryptoSign('sha1', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
    const crl = (saltLength: number) => encodeCrl(fields, { algorithm: encodeSequence(encodeOid('1.2.840.113549.1.1.10'), encodeSequence()), sign: signedWithSalt(saltLength) });
    expect(openssl(['crl', '-inform', 'DER', '-noout', '-text'], crl(20)).toString()).toMatch(/Hash Algorithm: sha1 \(default\)[\s\S]*Salt Length: 0x14 \(default\)/);
    expect([parseCrl(crl(20), CRL_MAX_NODES).verify(spki), parseCrl(crl(32), CRL_MAX_NODES).verify(spki)]).toEqual([true, false]);
    // Parameters that name them: each hash is verified as itself.
    const named = (hashOid: string, hash: string) => {
      const hashAlgorithm = encodeSequence(encodeOid(hashOid));
      const parameters = encodeSequence(encodeNode(contextTag(0, true), hashAlgorithm), encodeNode(contextTag(1, true), encodeSequence(encodeOid('1.2.840.113549.1.1.8'), hashAlgorithm)), encodeNode(contextTag(2, true), encodeSmallInteger(32)));
      const sign = (data: Buffer) => cryptoSign(hash, data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
      return parseCrl(encodeCrl(fields, { algorithm: encodeSequence(encodeOid('1.2.840.113549.1.1.10'), parameters), sign }), CRL_MAX_NODES).verify(spki);
    };
    expect([named('2.16.840.1.101.3.4.2.1', 'sha256'), named('2.16.840.1.101.3.4.2.2', 'sha384'), named('2.16.840.1.101.3.4.2.3', 'sha512'), named('2.16.840.1.101.3.4.2.3', 'sha384')]).toEqual([true, true, true, false]);
  });

  it('reads a v1 CRL (no version field, as `openssl ca -gencrl` writes one without CRL extensions) and a nextUpdate past 2049, a GeneralizedTime', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const algorithm = encodeSequence(encodeOid('1.2.840.10045.4.3.2'));
    const nextUpdate = new Date('2050-06-01T00:00:00Z');
    const entry = encodeSequence(encodeNode(Tag.INTEGER, Buffer.from([0x0a])), encodeTime(new Date(0)));
    const tbs = encodeSequence(algorithm, encodeSequence(), encodeTime(new Date(0)), encodeTime(nextUpdate), encodeSequence(entry));
    expect(encodeTime(nextUpdate)[0]).toBe(Tag.GENERALIZED_TIME);
    const crl = parseCrl(encodeSequence(tbs, algorithm, encodeBitString(cryptoSign('sha256', tbs, privateKey))), CRL_MAX_NODES);
    expect([crl.nextUpdate, crl.entries.map((revoked) => revoked.serialNumber), crl.verify(publicKey.export({ format: 'der', type: 'spki' }))]).toEqual([nextUpdate, ['0a'], true]);
  });

  it('reads a revoked serial number in DER, a negative one too (as Go and OpenSSL do), and finds it as options and certificates give it', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const algorithm = encodeSequence(encodeOid('1.2.840.10045.4.3.2'));
    const crlOf = (serial: string) => {
      const entry = encodeSequence(encodeNode(Tag.INTEGER, Buffer.from(serial, 'hex')), encodeTime(new Date(0)));
      const tbs = encodeSequence(encodeSmallInteger(1), algorithm, encodeSequence(), encodeTime(new Date(0)), encodeTime(new Date(0)), encodeSequence(entry));
      return encodeSequence(tbs, algorithm, encodeBitString(cryptoSign('sha256', tbs, privateKey)));
    };
    // A positive number's zero before a set top bit is DER's own.
    expect(['00ff', '01', 'ff'].map((serial) => parseCrl(crlOf(serial), CRL_MAX_NODES).entries[0]!.serialNumber)).toEqual(['ff', '01', 'ff']);
    expect(parseCrl(crlOf('01'), CRL_MAX_NODES).findRevoked('1')?.serialNumber).toBe('01');
    expect(parseCrl(crlOf('00'), CRL_MAX_NODES).findRevoked('00')?.serialNumber).toBe('00');
    // Hex as options give it: an odd number of digits; 80, whose INTEGER needs a zero before it.
    expect(parseCrl(crlOf('0abc'), CRL_MAX_NODES).findRevoked('abc')?.serialNumber).toBe('0abc');
    expect(parseCrl(crlOf('0080'), CRL_MAX_NODES).findRevoked('80')?.serialNumber).toBe('80');
    // 7f, the largest first octet that needs no zero before it (mutation testing: 007f was looked for, and 7f was not found revoked).
    expect(parseCrl(crlOf('7f'), CRL_MAX_NODES).findRevoked('7f')?.serialNumber).toBe('7f');
    expect(parseCrl(crlOf('7fff'), CRL_MAX_NODES).findRevoked('07fff')?.serialNumber).toBe('7fff');
  });

  it(`refuses a CRL of more than ${CRL_MAX_NODES} DER nodes before reading it, and one nested deeper than a stack goes, without overflowing it`, () => {
    const many = encodeSequence(Buffer.concat(Array.from({ length: CRL_MAX_NODES }, () => encodeNode(Tag.NULL))));
    expect(() => parseCrl(many, CRL_MAX_NODES)).toThrow(`more than ${CRL_MAX_NODES} DER nodes`);
    // As many as it may hold: counted, then read (and refused for what it holds).
    const exact = encodeSequence(Buffer.concat(Array.from({ length: CRL_MAX_NODES - 1 }, () => encodeNode(Tag.NULL))));
    expect(() => parseCrl(exact, CRL_MAX_NODES)).toThrow(/^CertificateList has more fields than it can$/);
    // Counted inside every constructed node, a SET or an EXPLICIT tag as a SEQUENCE.
    for (const tag of [Tag.SET, 0xa0]) {
      const within = encodeSequence(encodeNode(tag, Buffer.concat(Array.from({ length: CRL_MAX_NODES }, () => encodeNode(Tag.NULL)))));
      expect(() => parseCrl(within, CRL_MAX_NODES)).toThrow(`more than ${CRL_MAX_NODES} DER nodes`);
    }
    let deep = encodeNode(Tag.NULL);
    for (let i = 0; i < 20_000; i++) deep = encodeSequence(deep);
    expect(() => parseCrl(deep, CRL_MAX_NODES)).toThrow(DerError); // not a RangeError
  });

  it('refuses a CRL Go and OpenSSL both refuse, as certificates are refused (differential fuzzing QA: check read it): BER, a name that is no string, damaged extensions, an entry of more fields', () => {
    const algorithm = encodeSequence(encodeOid('1.2.840.10045.4.3.2'));
    const integer = (...octets: number[]) => encodeNode(Tag.INTEGER, Buffer.from(octets));
    const time = encodeNode(Tag.UTC_TIME, Buffer.from('260101000000Z'));
    const name = (value: Buffer) => encodeSequence(encodeNode(Tag.SET, encodeSequence(encodeOid('2.5.4.3'), value)));
    const crlNumber = (critical: Buffer[] = []) => encodeSequence(encodeOid('2.5.29.20'), ...critical, encodeNode(Tag.OCTET_STRING, integer(1)));
    const crl = ({ issuer = name(encodeNode(Tag.UTF8_STRING, Buffer.from('ca'))), entry = [integer(1), time], extensions = [encodeNode(0xa0, encodeSequence(crlNumber()))], outer = [] as Buffer[] } = {}) =>
      encodeSequence(encodeSequence(integer(1), algorithm, issuer, time, time, encodeSequence(encodeSequence(...entry)), ...extensions), algorithm, encodeBitString(Buffer.alloc(8, 1)), ...outer);
    expect(parseCrl(crl(), CRL_MAX_NODES).entries.map((entry) => entry.serialNumber)).toEqual(['01']);
    for (const [damaged, reason] of [
      [crl({ entry: [integer(0, 1), time] }), /^an INTEGER is not in its shortest form$/],
      [crl({ entry: [integer(0, 0x7f), time] }), /^an INTEGER is not in its shortest form$/],
      [crl({ entry: [integer(), time] }), /^an INTEGER is not in its shortest form$/], // no octet at all: a serial number ''
      [crl({ issuer: name(integer(5)) }), /^a name holds a value that is not a string it can have$/],
      [crl({ issuer: name(encodeNode(Tag.UTF8_STRING, Buffer.from([0xff]))) }), /^a name holds a value that is not a string it can have$/],
      [crl({ extensions: [encodeNode(0xa0, encodeNode(Tag.NULL))] }), /^expected Extensions$/],
      [crl({ extensions: [encodeNode(0xa0)] }), /^unexpected fields in a TBSCertList$/],
      [crl({ extensions: [encodeNode(0xa0, encodeSequence(crlNumber(), crlNumber()))] }), /^extension 2\.5\.29\.20 appears twice$/],
      [crl({ extensions: [encodeNode(0xa0, encodeSequence(crlNumber([encodeNode(Tag.BOOLEAN, Buffer.from([1]))])))] }), /^a BOOLEAN is neither 00 nor FF$/],
      [crl({ extensions: [encodeNode(0xa0, encodeSequence(crlNumber([encodeNode(Tag.BOOLEAN, Buffer.from([0, 0]))])))] }), /^a BOOLEAN is neither 00 nor FF$/], // two octets
      [crl({ entry: [integer(1), time, encodeSequence(crlNumber([encodeNode(Tag.INTEGER, Buffer.from([1]))]))] }), /^expected BOOLEAN$/],
      [crl({ entry: [integer(1), time, encodeSequence(), encodeNode(Tag.NULL)] }), /^revoked certificate has more fields than it can$/],
      [crl({ outer: [encodeNode(Tag.NULL)] }), /^CertificateList has more fields than it can$/],
    ] as const) {
      expect(() => parseCrl(damaged, CRL_MAX_NODES)).toThrow(reason);
    }
  });
});
