/**
 * A throw-away PKI for the tests and the demo: CAs that issue end-entity and intermediate certificates
 * with the properties a test needs (validity window, key usage, basic constraints, weak signatures) and
 * CRLs. Built on @peculiar/x509 and WebCrypto, independently of the helper's own certificate parsing.
 */
import { encodeBitString, encodeOid, encodeSequence, encoding, readRoot, sequence } from '../../asn1/der.js';
import { tbsSignatureIndex } from '../../keys/certificate.js';
import { encodePem } from '../../asn1/pem.js';
import * as x509 from '../../peculiarX509.js';
import { randomBytes, webcrypto } from 'node:crypto';
import { checkPkiOptions, checkRevokedSerials } from './checkPkiOptions.js';
import { generateKey, type GeneratedKey, type KeyAlgorithm } from './generateKey.js';

export type SignatureHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface CertificateOptions {
  readonly subject: string;
  readonly keyAlgorithm?: KeyAlgorithm | undefined;
  /** Use this key instead of generating one (e.g. a key that lives in a token or a TPM). */
  readonly publicKey?: Buffer | undefined;
  readonly notBefore?: Date | undefined;
  readonly notAfter?: Date | undefined;
  /** Hex; random when absent. */
  readonly serialNumber?: string | undefined;
  /** The hash the issuer signs with (SHA-1 makes a certificate the service refuses). */
  readonly signatureHash?: SignatureHash | undefined;
  /** Bits of KeyUsage; undefined: digitalSignature for end entities, keyCertSign|cRLSign for CAs; null: no extension. */
  readonly keyUsage?: number | null | undefined;
  /** Mark an end-entity certificate CA:true (which the service refuses), a CA CA:false; null: no basicConstraints extension. */
  readonly basicConstraintsCa?: boolean | null | undefined;
  /**
   * DNS names and IP addresses (TLS server certificates for the emulator over HTTPS), URIs and directory
   * names (`CN=x,O=y`): the SAN types the service maps into session tags.
   */
  readonly subjectAltNames?: SubjectAltNames | undefined;
}

export interface SubjectAltNames {
  readonly dns?: readonly string[] | undefined;
  readonly ip?: readonly string[] | undefined;
  readonly uri?: readonly string[] | undefined;
  readonly directoryName?: readonly string[] | undefined;
}

export interface IssuedCertificate {
  readonly der: Buffer;
  readonly pem: string;
  readonly serialNumberHex: string;
  /** undefined when the caller supplied the public key. */
  readonly key: GeneratedKey | undefined;
}

/** The key usage bits of X.509 (RFC 5280 §4.2.1.3), as @peculiar/x509 numbers them, for `keyUsage`. */
export const KeyUsage = {
  digitalSignature: 1,
  nonRepudiation: 2,
  keyEncipherment: 4,
  dataEncipherment: 8,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
  encipherOnly: 128,
  decipherOnly: 256,
} as const;

const DAY = 24 * 60 * 60 * 1000;

export class CertificateAuthority {
  private constructor(
    readonly certificate: IssuedCertificate,
    private readonly key: GeneratedKey,
    private readonly name: string,
  ) {}

  /** A self-signed root CA. */
  static async create(options: {
    subject: string;
    keyAlgorithm?: KeyAlgorithm | undefined;
    notBefore?: Date | undefined;
    notAfter?: Date | undefined;
    pathLength?: number | undefined;
    keyUsage?: number | null | undefined;
    basicConstraintsCa?: boolean | null | undefined;
  }): Promise<CertificateAuthority> {
    checkPkiOptions('create', options);
    const key = generateKey(options.keyAlgorithm ?? 'ec-p256');
    const issued = await signCertificate(key, options.subject, {
      ...options,
      notAfter: options.notAfter ?? new Date(Date.now() + 3650 * DAY),
    }, key.spki, key, caExtensions(options.pathLength, options.keyUsage, options.basicConstraintsCa));
    return new CertificateAuthority(issued, key, options.subject);
  }

  /** An end-entity certificate (digitalSignature, CA:false) for a new or given key. */
  async issue(options: CertificateOptions): Promise<IssuedCertificate> {
    checkPkiOptions('issue', options);
    const key = options.publicKey ? undefined : generateKey(options.keyAlgorithm ?? 'ec-p256');
    const keyUsage = options.keyUsage === undefined ? x509.KeyUsageFlags.digitalSignature : options.keyUsage;
    const extensions: x509.Extension[] = [];
    if (options.basicConstraintsCa !== null) extensions.push(new x509.BasicConstraintsExtension(options.basicConstraintsCa ?? false, undefined, true));
    if (keyUsage !== null) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
    if (options.subjectAltNames) extensions.push(subjectAltNameExtension(options.subjectAltNames));
    return this.#sign(options, options.publicKey ?? key!.spki, key, extensions);
  }

  /** An intermediate CA under this one, valid for ten years unless told otherwise, as a root (its certificates for 30 days). */
  async issueIntermediate(options: CertificateOptions & { pathLength?: number | undefined }): Promise<CertificateAuthority> {
    checkPkiOptions('issueIntermediate', options);
    const key = generateKey(options.keyAlgorithm ?? 'ec-p256');
    const extensions = caExtensions(options.pathLength, options.keyUsage, options.basicConstraintsCa);
    const issued = await this.#sign({ ...options, notAfter: options.notAfter ?? new Date(Date.now() + 3650 * DAY) }, key.spki, key, extensions);
    return new CertificateAuthority(issued, key, options.subject);
  }

  /**
   * A CRL, signed by this CA, revoking these serial numbers (hex), each for key compromise (an entry with no
   * reason gets an empty crlEntryExtensions from @peculiar/x509, which RFC 5280 forbids), as PEM labelled
   * `X509 CRL`, as OpenSSL writes and reads it (@peculiar/x509 labels it `CRL`, which OpenSSL cannot read).
   */
  async crl(revokedSerialNumbersHex: readonly string[]): Promise<string> {
    checkRevokedSerials(revokedSerialNumbersHex);
    const crl = await x509.X509CrlGenerator.create({
      issuer: this.name,
      thisUpdate: new Date(Date.now() - 60_000),
      nextUpdate: new Date(Date.now() + 7 * DAY),
      entries: revokedSerialNumbersHex.map((serialNumber) => ({
        serialNumber,
        revocationDate: new Date(Date.now() - 60_000),
        reason: x509.X509CrlReason.keyCompromise,
      })),
      signingAlgorithm: signingAlgorithm(this.key, 'SHA-256'),
      signingKey: await importSigningKey(this.key, 'SHA-256'),
    });
    return encodePem('X509 CRL', Buffer.from(crl.rawData));
  }

  #sign(options: CertificateOptions, spki: Buffer, key: GeneratedKey | undefined, extensions: x509.Extension[]): Promise<IssuedCertificate> {
    return signCertificate(this.key, this.name, options, spki, key, extensions);
  }
}

/** Issues a certificate for `spki`, signed by `issuerKey` in the name of `issuer`. */
async function signCertificate(
  issuerKey: GeneratedKey,
  issuer: string,
  options: Omit<CertificateOptions, 'keyAlgorithm' | 'publicKey'>,
  spki: Buffer,
  key: GeneratedKey | undefined,
  extensions: x509.Extension[],
): Promise<IssuedCertificate> {
  const hash = options.signatureHash ?? 'SHA-256';
  const serialNumberHex = options.serialNumber ?? randomSerial();
  // @peculiar/x509 puts a random serial in place of zero, which serialNumberHex would then misreport.
  if (/^0*$/.test(serialNumberHex)) throw new Error(`serialNumber ${serialNumberHex || '""'}: a certificate's serial number must be positive (RFC 5280)`);
  // An ML-DSA CA signs what @peculiar/x509 made with a stand-in key (WebCrypto has no ML-DSA before Node 24).
  const signer = issuerKey.mlDsa ? generateKey('ec-p256') : issuerKey;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumberHex,
    subject: options.subject,
    issuer,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 30 * DAY),
    signingAlgorithm: signingAlgorithm(signer, hash),
    publicKey: new Uint8Array(spki),
    signingKey: await importSigningKey(signer, hash),
    extensions,
  });
  if (!issuerKey.mlDsa) return toIssued(certificate, serialNumberHex, key);
  return toIssued(new x509.X509Certificate(new Uint8Array(signedWithMlDsa(Buffer.from(certificate.rawData), issuerKey.mlDsa))), serialNumberHex, key);
}

/** The certificate's TBSCertificate with the ML-DSA algorithm in its signature field, signed by the ML-DSA key (RFC 9881). */
function signedWithMlDsa(der: Buffer, key: NonNullable<GeneratedKey['mlDsa']>): Buffer {
  const [tbs] = sequence(readRoot(der), 'Certificate');
  const fields = sequence(tbs, 'TBSCertificate');
  const algorithm = encodeSequence(encodeOid(key.oid));
  const signatureField = tbsSignatureIndex(fields);
  const signed = encodeSequence(...fields.map((field, index) => (index === signatureField ? algorithm : encoding(field))));
  return encodeSequence(signed, algorithm, encodeBitString(key.sign(signed)));
}

/** The names in the order given within each type; types in a fixed order (the service maps the first of each). */
function subjectAltNameExtension(names: SubjectAltNames): x509.SubjectAlternativeNameExtension {
  const of = (type: x509.GeneralNameType, values: readonly string[] = []) => values.map((value) => ({ type, value }));
  return new x509.SubjectAlternativeNameExtension([
    ...of('dns', names.dns),
    ...of('ip', names.ip),
    ...of('url', names.uri),
    ...of('dn', names.directoryName),
  ]);
}

/** basicConstraints CA:true unless `ca` says otherwise (null: none); keyCertSign and cRLSign unless `keyUsage` says otherwise. */
function caExtensions(pathLength: number | undefined, keyUsage: number | null | undefined, ca: boolean | null | undefined): x509.Extension[] {
  const extensions: x509.Extension[] = ca === null ? [] : [new x509.BasicConstraintsExtension(ca ?? true, pathLength, true)];
  const usage = keyUsage === undefined ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : keyUsage;
  if (usage !== null) extensions.push(new x509.KeyUsagesExtension(usage, true));
  return extensions;
}

function signingAlgorithm(key: GeneratedKey, hash: SignatureHash): Algorithm | EcdsaParams {
  return key.algorithm.startsWith('rsa') ? { name: 'RSASSA-PKCS1-v1_5', hash } as Algorithm : { name: 'ECDSA', hash };
}

async function importSigningKey(key: GeneratedKey, hash: SignatureHash): Promise<CryptoKey> {
  if (key.algorithm.startsWith('ml-dsa')) throw new Error('the test PKI signs CRLs with RSA or EC CA keys only');
  const algorithm = key.algorithm.startsWith('rsa')
    ? { name: 'RSASSA-PKCS1-v1_5', hash }
    : { name: 'ECDSA', namedCurve: `P-${key.algorithm.slice(4)}` };
  return (await webcrypto.subtle.importKey('pkcs8', key.pkcs8(), algorithm, false, ['sign'])) as unknown as CryptoKey;
}

function toIssued(certificate: x509.X509Certificate, serialNumberHex: string, key: GeneratedKey | undefined): IssuedCertificate {
  return { der: Buffer.from(certificate.rawData), pem: certificate.toString('pem') + '\n', serialNumberHex, key };
}

/** A positive serial number of 16 random bytes. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
