import { isIP } from 'node:net';
import { serialNumber } from '../checkEmulatorOptions.js';
import { EmulatorSetupError } from '../emulatorOptions.js';
import { parsePublicKeyInfo } from '../../keys/certificate.js';
import { normaliseSerial } from '../verifyCertificates.js';
import { integer, list, object, optional, required, string, such, type Field, type SetupForm } from '../optionChecks.js';
import { readRoot, sequence } from '../../asn1/der.js';
import { encodeName } from '../../x509/nameFromString.js';
import { checkKeyAlgorithm } from './generateKey.js';

/*
 * The checks of the test PKI's options (CertificateAuthority.create, issue, issueIntermediate, crl), as
 * startEmulator's: a key it does not know, or a value of the wrong type or out of range, is an
 * EmulatorSetupError naming the key, rather than a certificate made wrong without a word (`subject: 'not a
 * dn'` made an empty subject) or an error naming no option.
 */
const FORM: SetupForm = { whole: 'the options', keys: {}, names: {}, otherNames: {} };

const date = such((value) => value instanceof Date && !Number.isNaN(value.getTime()), 'a valid Date');
// DNS names and URIs are IA5Strings: check and the emulator refuse a certificate holding others, as Go does (review:
// 'bücher.example' was written as latin1 and so refused, and a character past U+00FF was cut to its low octet).
const ia5Names = list(such((value) => typeof value === 'string' && /^[\x00-\x7f]*$/.test(value), 'ASCII (an IA5String: an IDN in its xn-- form, a URI with its other characters %-encoded)'));
// What the encoder would otherwise refuse with an Error naming no option (QA: ip '999.1.1.1', directoryName
// 'cn=x', a publicKey that is no DER), or write as an empty name (directoryName 'not a dn'), as it did the subject.
const addresses = list(such((value) => typeof value === 'string' && isIP(value) !== 0, 'an IPv4 or IPv6 address'));
const directoryNames = list(such((value) => value !== '' && isDistinguishedName(value), 'a distinguished name such as CN=workload,O=Example'));
const HASHES: readonly unknown[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const isKeyUsage = (value: unknown) => value === null || (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 511);

const CERTIFICATE: Readonly<Record<string, Field>> = {
  subject: required(such(isDistinguishedName, "a distinguished name such as CN=workload,O=Example (or '', none)")),
  keyAlgorithm: optional(checkKeyAlgorithm),
  notBefore: optional(date),
  notAfter: optional(date),
  keyUsage: optional(such(isKeyUsage, 'KeyUsage bits (0 to 511) or null')),
  basicConstraintsCa: optional(such((value) => value === null || typeof value === 'boolean', 'true, false or null')),
};
const ISSUED: Readonly<Record<string, Field>> = {
  ...CERTIFICATE,
  publicKey: optional(such(isPublicKeyInfo, 'a Buffer of SubjectPublicKeyInfo DER')),
  // Zero is hex, but no certificate's serial number (RFC 5280): it was a bare Error (QA apidoc).
  serialNumber: optional(string(/^0*[1-9a-f][0-9a-f]*$/i, 'a positive serial number in hex')),
  signatureHash: optional(such((value) => HASHES.includes(value), 'SHA-1, SHA-256, SHA-384 or SHA-512')),
  subjectAltNames: optional(object('subjectAltNames', { dns: optional(ia5Names), ip: optional(addresses), uri: optional(ia5Names), directoryName: optional(directoryNames) })),
};
const PATH_LENGTH = { pathLength: optional(integer(0)) };

const METHODS = {
  create: object('create', { ...CERTIFICATE, ...PATH_LENGTH }),
  issue: object('issue', ISSUED),
  issueIntermediate: object('issueIntermediate', { ...ISSUED, ...PATH_LENGTH }),
};

/** A CertificateAuthority method's options, if it can take them, else an EmulatorSetupError naming the key at fault. */
export function checkPkiOptions(method: keyof typeof METHODS, options: unknown): void {
  METHODS[method](options, '', FORM);
  const { notBefore, notAfter } = options as { notBefore?: Date; notAfter?: Date };
  if (notBefore && notAfter && notAfter < notBefore) throw new EmulatorSetupError('notAfter', 'before notBefore', 'notAfter must not be before notBefore');
}

/**
 * The serial numbers a CRL revokes: a list of hex strings, each once (QA: '01' and '1' got a bare Error
 * 'Certificate serial number 1 already exists in tbsCertList').
 */
export function checkRevokedSerials(serials: unknown): void {
  const given = (list(serialNumber)(serials, 'revokedSerialNumbersHex', FORM) as string[]).map(normaliseSerial);
  const again = given.findIndex((serial, index) => given.indexOf(serial) !== index);
  if (again < 0) return;
  const where = `revokedSerialNumbersHex[${again}]`;
  const reason = `is the serial number of revokedSerialNumbersHex[${given.indexOf(given[again]!)}]: a CRL lists each once`;
  throw new EmulatorSetupError(where, reason, `${where} ${reason}`);
}

/**
 * Whether `value` is '' (an empty subject, which the service refuses) or a name encodeName reads as one
 * attribute or more (it reads `not a dn` as none).
 */
function isDistinguishedName(value: unknown): boolean {
  try {
    return value === '' || (typeof value === 'string' && sequence(readRoot(encodeName(value))).length > 0);
  } catch {
    return false;
  }
}

/** Whether `value` is DER of a SubjectPublicKeyInfo, of any algorithm (a test may want one the service refuses). */
function isPublicKeyInfo(value: unknown): boolean {
  try {
    return value instanceof Uint8Array && parsePublicKeyInfo(Buffer.from(value)) !== undefined;
  } catch {
    return false;
  }
}
