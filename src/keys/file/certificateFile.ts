import { decodeOid, readNode, readRoot, sequence, Tag } from '../../asn1/der.js';
import { HelperError } from '../../errors.js';
import { option } from '../../optionNames.js';
import { CertificateParseError, parseCertificate, type Certificate } from '../certificate.js';
import { beginCount, damagedBlock, decodePem, isPem, notPemOrDer } from '../../asn1/pem.js';
import { JAVA_KEYSTORE, isJavaKeystore, looksLikePkcs12, pkcs12Der } from './pkcs12File.js';
import { inputName, readInput, type Input } from '../input.js';

/**
 * The end-entity certificate of a file: the first CERTIFICATE block of a PEM file, or a DER file.
 * `pkcs12Use` says, for a PKCS#12 file given instead, how it is read (default: as --certificate alone).
 */
export function certificateFromFile(data: Buffer, path: string, pkcs12Use?: string): Certificate {
  let der = data;
  if (isPem(data)) {
    const text = data.toString('latin1');
    const blocks = decodePem(text);
    const block = blocks.find((b) => b.type === 'CERTIFICATE');
    if (!block) {
      const pkcs12 = pkcs12Der(data);
      if (pkcs12) checkDer(pkcs12, path, pkcs12Use);
      if (blocks.some((b) => b.type === 'PKCS7')) throw new HelperError(`could not parse certificate ${path}: ${PKCS7}`);
      throw new HelperError(`could not parse PEM data in ${path}: ${damagedBlock(text, ['CERTIFICATE']) ?? 'no CERTIFICATE block found'}`);
    }
    der = block.der;
  } else {
    checkDer(data, path, pkcs12Use);
  }
  return parseOrExplain(der, path);
}

export function readCertificate(input: Input, pkcs12Use?: string): Certificate {
  return certificateFromFile(readInput(input, 'certificate'), inputName(input), pkcs12Use);
}

/**
 * A trust anchor's bundle of certificates: every PEM block must be a whole certificate; a DER file holds one.
 * A PKCS#12 file is no such bundle, whatever --certificate makes of one.
 */
export function readCertificateBundle(input: Input): Certificate[] {
  return bundleCertificates(readInput(input, 'certificate bundle'), inputName(input), 'not CA certificates as PEM or DER');
}

/**
 * An --intermediates bundle, as readCertificateBundle reads one, except that none given, an empty file or one
 * of blank lines gives no chain (undefined), as the reference reads it: a generated chain file is empty where
 * the root issued the certificate.
 */
export function readIntermediates(input: Input | undefined): Certificate[] | undefined {
  if (!input) return undefined;
  const data = readInput(input, 'certificate bundle');
  // Named with its flag: the messages say "certificate", as for --certificate (QA: which file was it?).
  return isBlank(data) ? undefined : bundleCertificates(data, `${inputName(input)} (${option('intermediates')})`);
}

function bundleCertificates(data: Buffer, path: string, pkcs12Use?: string): Certificate[] {
  if (!isPem(data)) {
    checkDer(data, path, pkcs12Use);
    return [parseOrExplain(data, path)];
  }
  const text = data.toString('latin1');
  const blocks = decodePem(text);
  const other = blocks.find((b) => b.type !== 'CERTIFICATE');
  if (other) {
    // Only a file that is no bundle is read again, as a PKCS#12 one.
    const pkcs12 = pkcs12Der(data);
    if (pkcs12) checkDer(pkcs12, path, pkcs12Use);
    throw new HelperError(`invalid certificate chain ${path}: ${other.type === 'PKCS7' ? PKCS7 : `it holds ${withArticle(other.type)} block`}`);
  }
  if (blocks.length < beginCount(text)) {
    throw new HelperError(`invalid certificate chain ${path}: it holds a damaged PEM block (no END line, or not base64)`);
  }
  return blocks.map((block) => parseOrExplain(block.der, path));
}

/** A PEM block's type with its article, as it is read out: an EC PRIVATE KEY, an X509 CRL, a PUBLIC KEY. */
function withArticle(type: string): string {
  return `${/^(?:[AEIOU]|RSA|EC|X509|SSH|FIDO)/.test(type) ? 'an' : 'a'} ${type}`;
}

function isBlank(data: Buffer): boolean {
  return data.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

/** Says what a file that is not PEM is, when it is plainly no DER certificate: empty, text, PKCS#12 or a key. */
function checkDer(data: Buffer, path: string, pkcs12Use?: string): void {
  const what =
    (isJavaKeystore(data) ? JAVA_KEYSTORE : notPemOrDer(data)) ??
    (looksLikePkcs12(data)
      ? `it is a PKCS#12 file, ${pkcs12Use ?? `which is read as ${option('certificate')} without ${option('privateKey')}`}`
      : derShape(data) === 'key'
        ? 'it is a private key, not a certificate'
        : undefined);
  if (what) throw new HelperError(`could not parse certificate ${path}: ${what}`);
}

/**
 * What DER bytes look like: a certificate (a SEQUENCE of the to-be-signed SEQUENCE, the algorithm and the
 * signature), or a private key (PKCS#8, SEC1, PKCS#1: a SEQUENCE that starts with its version INTEGER, as
 * a PKCS#12 file also does).
 */
export function derShape(data: Buffer): 'certificate' | 'key' | undefined {
  try {
    const [first, second, third] = sequence(readRoot(data));
    if (first?.tag === Tag.SEQUENCE && second?.tag === Tag.SEQUENCE && third?.tag === Tag.BIT_STRING) return 'certificate';
    const keyField = second?.tag === Tag.SEQUENCE || second?.tag === Tag.OCTET_STRING || second?.tag === Tag.INTEGER;
    return first?.tag === Tag.INTEGER && keyField && !looksLikePkcs12(data) ? 'key' : undefined;
  } catch {
    return undefined;
  }
}

function parseOrExplain(der: Buffer, path: string): Certificate {
  try {
    return parseCertificate(der);
  } catch (error) {
    if (error instanceof CertificateParseError) {
      const reason = isPkcs7(der) ? PKCS7 : startsWithCertificate(der) ? SEVERAL_DER : error.message;
      throw new HelperError(`could not parse certificate ${path}: ${reason}`);
    }
    throw error;
  }
}

/** `cat a.der b.der`: a whole certificate, then more (QA pki: "trailing data after DER"). */
const SEVERAL_DER = 'it holds several DER certificates one after another; a bundle must be PEM (`openssl x509 -inform DER` converts each)';

/** Whether the bytes are a whole certificate followed by another's start. */
function startsWithCertificate(der: Buffer): boolean {
  try {
    const { end } = readNode(der);
    parseCertificate(der.subarray(0, end));
    return end < der.length && parseCertificate(der.subarray(end, readNode(der, end).end)) !== undefined;
  } catch {
    return false;
  }
}

/** Certificates as a CA may deliver them (a Windows CA's chain, `openssl crl2pkcs7`), which the reference does not read either. */
const PKCS7 = 'it is a PKCS#7 bundle (.p7b), not certificates: write them out as PEM with `openssl pkcs7 -print_certs` (-inform DER if binary)';

/** ContentInfo { contentType signedData, ... }: a PKCS#7 bundle's DER (a certificate starts with a SEQUENCE). */
function isPkcs7(der: Buffer): boolean {
  try {
    const [type] = sequence(readRoot(der));
    return type?.tag === Tag.OID && decodeOid(type) === '1.2.840.113549.1.7.2';
  } catch {
    return false;
  }
}
