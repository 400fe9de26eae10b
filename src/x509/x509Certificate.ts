import { DerError, Tag, children, content, contextTag, decodeBitString, decodeOid, decodeSmallInteger, decodeTime, encoding, expectTag, readRoot, sequence, type DerNode } from '../asn1/der.js';
import { fieldsOf, requireDer } from './derNodes.js';
import { encodePem } from '../asn1/pem.js';
import { EXTENSION, readBasicConstraints, readExtensions, readKeyUsage, readSubjectAltNames, type BasicConstraints, type Extension, type SubjectAltNames } from './extensions.js';
import { nameToString, readStringName, type DistinguishedName } from './name.js';
import { serialNumberHex } from './serialNumber.js';
import { RSASSA_PSS, pssHashOid } from './pssHash.js';

/** An X.509 certificate as `check` and the emulator read it, every part parsed (a damaged one throws). */
export interface X509Certificate {
  readonly der: Buffer;
  /** 1, 2 or 3. */
  readonly version: number;
  readonly serialNumber: string;
  readonly subjectName: DistinguishedName;
  readonly issuerName: DistinguishedName;
  /** As messages print them (nameToString): `CN=leaf, O=Example`. */
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The SubjectPublicKeyInfo DER. */
  readonly publicKey: Buffer;
  readonly signatureAlgorithmOid: string;
  /** RSASSA-PSS: the OID of the hash its parameters name (SHA-1's when they leave it out); undefined without parameters. */
  readonly pssHashOid?: string | undefined;
  readonly extensions: readonly Extension[];
  /** undefined without the extension. */
  readonly basicConstraints: BasicConstraints | undefined;
  readonly keyUsage: number | undefined;
  readonly subjectAltNames: SubjectAltNames | undefined;
  /** PEM, without a line break after its END line. */
  readonly pem: string;
}

/** RFC 5280 §4.1.2.5.2: a GeneralizedTime of a certificate's validity "MUST NOT include fractional seconds" (Go refuses them: differential fuzzing QA). */
function validityTime(node: DerNode | undefined): Date {
  if (node && content(node).includes('.')) throw new DerError('a validity time has fractional seconds');
  return decodeTime(node);
}

const OPTIONAL_FIELDS = [contextTag(1, false), contextTag(2, false), contextTag(3, true)];

/** Parses a DER certificate; a DerError (or another Error) says what is damaged. */
export function parseX509Certificate(der: Buffer): X509Certificate {
  const root = readRoot(der);
  // DER, not BER, as Go and Java read certificates (the extensions' values are checked as they are read).
  requireDer(root);
  const [tbs, algorithm, signature] = fieldsOf(root, 'Certificate', 3);
  decodeBitString(signature!);
  const fields = sequence(tbs, 'TBSCertificate');
  // An EXPLICIT [0] holding one INTEGER, the version minus one; absent means v1.
  const versionField = fields[0]?.tag === contextTag(0, true) ? children(fields.shift()!) : undefined;
  if (versionField && versionField.length !== 1) throw new DerError('malformed version');
  const version = versionField ? decodeSmallInteger(versionField[0]!) + 1 : 1;
  const [serial, innerAlgorithm, issuer, validity, subject, spki, ...rest] = fields;
  // RFC 5280 §4.1.1.2: the algorithm the TBSCertificate names is the one it is signed with (Go refuses a difference).
  if (!innerAlgorithm || !encoding(innerAlgorithm).equals(encoding(algorithm!))) throw new DerError('the TBSCertificate names another signature algorithm than the certificate');
  const [notBefore, notAfter] = fieldsOf(validity, 'Validity', 2);
  fieldsOf(spki, 'SubjectPublicKeyInfo', 2);
  // Then issuerUniqueID [1], subjectUniqueID [2] and extensions [3], each at most once and in this order, nothing else.
  rest.reduce((from, node) => {
    const at = OPTIONAL_FIELDS.indexOf(node.tag, from);
    if (at < 0) throw new DerError('unexpected fields in a TBSCertificate');
    return at + 1;
  }, 0);
  const extensions = readExtensions(rest.find((node) => node.tag === contextTag(3, true)));
  const extension = <T>(type: string, read: (value: Buffer) => T) => {
    const found = extensions.find((candidate) => candidate.type === type);
    return found ? read(found.value) : undefined;
  };
  const [signatureOid, parameters] = sequence(algorithm, 'AlgorithmIdentifier');
  const signatureAlgorithmOid = decodeOid(signatureOid!);
  const subjectName = readStringName(subject);
  const issuerName = readStringName(issuer);
  return {
    der,
    version,
    serialNumber: serialNumberHex(content(expectTag(serial, Tag.INTEGER, 'INTEGER'))),
    subjectName,
    issuerName,
    subject: nameToString(subjectName),
    issuer: nameToString(issuerName),
    notBefore: validityTime(notBefore),
    notAfter: validityTime(notAfter),
    publicKey: encoding(spki!),
    signatureAlgorithmOid,
    pssHashOid: signatureAlgorithmOid === RSASSA_PSS ? pssHashOid(parameters) : undefined,
    extensions,
    basicConstraints: extension(EXTENSION.basicConstraints, readBasicConstraints),
    keyUsage: extension(EXTENSION.keyUsage, readKeyUsage),
    subjectAltNames: extension(EXTENSION.subjectAltName, readSubjectAltNames),
    pem: encodePem('CERTIFICATE', der).trimEnd(),
  };
}

