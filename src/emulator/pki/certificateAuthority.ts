/**
 * A throw-away PKI for the tests and the demo: CAs that issue end-entity and intermediate certificates
 * with the properties a test needs (validity window, key usage, basic constraints, weak signatures) and
 * CRLs, encoded by the project's own X.509 writer (src/x509) and signed with node:crypto (ML-DSA with
 * @noble/post-quantum).
 */
import { encodePem } from '../../asn1/pem.js';
import { randomBytes } from 'node:crypto';
import { encodeCertificate } from '../../x509/certificateEncoder.js';
import { encodeCrl } from '../../x509/crlEncoder.js';
import { basicConstraintsExtension, keyUsageExtension, subjectAltNameExtension } from '../../x509/extensionEncoders.js';
import { encodeName } from '../../x509/nameFromString.js';
import { KEY_USAGES } from '../../x509/keyUsages.js';
import { checkPkiOptions, checkRevokedSerials } from './checkPkiOptions.js';
import { generateKey, type GeneratedKey, type KeyAlgorithm } from './generateKey.js';
import { keySigner } from './keySigner.js';

export type SignatureHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface CertificateOptions {
  readonly subject: string;
  /** Default ec-p256. */
  readonly keyAlgorithm?: KeyAlgorithm | undefined;
  /** Use this key instead of generating one (e.g. a key that lives in a token or a TPM). */
  readonly publicKey?: Buffer | undefined;
  /** Default: a day ago. */
  readonly notBefore?: Date | undefined;
  /** Default: in 30 days; a CA's in ten years. */
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

/** The key usage bits of X.509 (RFC 5280 §4.2.1.3), bit n as 2^n, for `keyUsage`. */
export const KeyUsage = KEY_USAGES;

const DAY = 24 * 60 * 60 * 1000;

export class CertificateAuthority {
  private constructor(
    readonly certificate: IssuedCertificate,
    private readonly key: GeneratedKey,
    private readonly name: string,
  ) {}

  /** A self-signed root CA. */
  static async create(
    options: Pick<CertificateOptions, 'subject' | 'keyAlgorithm' | 'notBefore' | 'notAfter' | 'keyUsage' | 'basicConstraintsCa'> & { readonly pathLength?: number | undefined },
  ): Promise<CertificateAuthority> {
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
    const keyUsage = options.keyUsage === undefined ? KEY_USAGES.digitalSignature : options.keyUsage;
    const extensions: Buffer[] = [];
    if (options.basicConstraintsCa !== null) extensions.push(basicConstraintsExtension(options.basicConstraintsCa ?? false));
    if (keyUsage !== null) extensions.push(keyUsageExtension(keyUsage));
    if (options.subjectAltNames) extensions.push(subjectAltNameExtension(options.subjectAltNames));
    return this.#sign(options, options.publicKey ?? key!.spki, key, extensions);
  }

  /** An intermediate CA under this one. */
  async issueIntermediate(options: CertificateOptions & { pathLength?: number | undefined }): Promise<CertificateAuthority> {
    checkPkiOptions('issueIntermediate', options);
    const key = generateKey(options.keyAlgorithm ?? 'ec-p256');
    const extensions = caExtensions(options.pathLength, options.keyUsage, options.basicConstraintsCa);
    const issued = await this.#sign({ ...options, notAfter: options.notAfter ?? new Date(Date.now() + 3650 * DAY) }, key.spki, key, extensions);
    return new CertificateAuthority(issued, key, options.subject);
  }

  /**
   * A CRL, signed by this CA (with SHA-256, or ML-DSA), revoking these serial numbers (hex), each for key
   * compromise, as PEM labelled `X509 CRL`, as OpenSSL writes and reads it.
   */
  async crl(revokedSerialNumbersHex: readonly string[]): Promise<string> {
    checkRevokedSerials(revokedSerialNumbersHex);
    const now = Date.now();
    const crl = encodeCrl(
      {
        issuer: encodeName(this.name),
        thisUpdate: new Date(now - 60_000),
        nextUpdate: new Date(now + 7 * DAY),
        revoked: revokedSerialNumbersHex,
        revocationDate: new Date(now - 60_000),
      },
      keySigner(this.key, 'SHA-256'),
    );
    return encodePem('X509 CRL', crl);
  }

  #sign(options: CertificateOptions, spki: Buffer, key: GeneratedKey | undefined, extensions: Buffer[]): Promise<IssuedCertificate> {
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
  extensions: Buffer[],
): Promise<IssuedCertificate> {
  const serialNumberHex = options.serialNumber ?? randomSerial();
  const der = encodeCertificate(
    {
      serialNumber: serialNumberHex,
      issuer: encodeName(issuer),
      subject: encodeName(options.subject),
      notBefore: options.notBefore ?? new Date(Date.now() - DAY),
      notAfter: options.notAfter ?? new Date(Date.now() + 30 * DAY),
      publicKey: spki,
      extensions,
    },
    keySigner(issuerKey, options.signatureHash ?? 'SHA-256'),
  );
  return { der, pem: encodePem('CERTIFICATE', der), serialNumberHex, key };
}

/** basicConstraints CA:true unless `ca` says otherwise (null: none); keyCertSign and cRLSign unless `keyUsage` says otherwise. */
function caExtensions(pathLength: number | undefined, keyUsage: number | null | undefined, ca: boolean | null | undefined): Buffer[] {
  const extensions = ca === null ? [] : [basicConstraintsExtension(ca ?? true, pathLength)];
  const usage = keyUsage === undefined ? KEY_USAGES.keyCertSign | KEY_USAGES.cRLSign : keyUsage;
  if (usage !== null) extensions.push(keyUsageExtension(usage));
  return extensions;
}

/** A positive serial number of 16 random bytes. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
