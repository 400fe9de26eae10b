import { DerError, Tag, children, content, contextTag, decodeBitString, decodeTime, encoding, expectTag, readRoot, sequence, type DerNode } from '../asn1/der.js';
import { fieldsOf, requireDer } from './derNodes.js';
import { readExtensionList } from './extensions.js';
import { nameToString, readStringName } from './name.js';
import { serialNumberHex, serialNumberOctets } from './serialNumber.js';
import { signatureVerifies } from './signatureVerification.js';

export interface CrlEntry {
  /** As a certificate's serialNumber is written. */
  readonly serialNumber: string;
  readonly revocationDate: Date;
  /** The INTEGER's content octets, as findRevoked compares them. */
  readonly octets: Buffer;
}

/** An X.509 CRL as `check` and the emulator read it. */
export interface X509Crl {
  readonly der: Buffer;
  /** As messages print names (nameToString). */
  readonly issuer: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly entries: readonly CrlEntry[];
  /** The entry of this serial number (hex), if the CRL lists it. */
  findRevoked(serialNumber: string): CrlEntry | undefined;
  /** Whether the key of this SubjectPublicKeyInfo (DER) signed it (false when its inner and outer signature algorithms differ). */
  verify(spki: Buffer): boolean;
}

/**
 * Parses a DER CRL (RFC 5280 §5.1) of at most `maxNodes` DER nodes, counted before anything else is read,
 * so that a crafted one costs time and memory in proportion to its size only; a DerError (or another
 * Error) says what is wrong.
 */
export function parseCrl(der: Buffer, maxNodes: number): X509Crl {
  const root = readRoot(der);
  // DER, its names strings, its extensions and its entries' well-formed, as certificates are read (differential fuzzing QA).
  requireDer(root, maxNodes);
  const [tbs, algorithm, signature] = fieldsOf(root, 'CertificateList', 3);
  const fields = sequence(tbs, 'TBSCertList');
  if (fields[0]?.tag === Tag.INTEGER) fields.shift();
  const [innerAlgorithm, issuer, thisUpdate, ...rest] = fields;
  const nextUpdate = rest[0]?.tag === Tag.UTC_TIME || rest[0]?.tag === Tag.GENERALIZED_TIME ? decodeTime(rest.shift()) : undefined;
  const revoked: DerNode | undefined = rest[0]?.tag === Tag.SEQUENCE ? rest.shift() : undefined;
  const [extensions, ...more] = rest;
  const extensionList = extensions?.tag === contextTag(0, true) ? children(extensions) : [];
  if (more.length > 0 || (extensions && extensionList.length !== 1)) throw new DerError('unexpected fields in a TBSCertList');
  if (extensions) readExtensionList(extensionList[0]);
  const entries = (revoked ? sequence(revoked) : []).map((entry): CrlEntry => {
    const [serial, date, entryExtensions] = fieldsOf(entry, 'revoked certificate', 3);
    if (entryExtensions) readExtensionList(entryExtensions);
    const octets = content(expectTag(serial, Tag.INTEGER, 'INTEGER'));
    return { serialNumber: serialNumberHex(octets), revocationDate: decodeTime(date), octets };
  });
  sequence(algorithm, 'AlgorithmIdentifier');
  // RFC 5280 §5.1.1.2: the TBSCertList's algorithm must be the one it is signed with; a CRL whose two differ does not verify.
  const algorithmsMatch = innerAlgorithm !== undefined && encoding(innerAlgorithm).equals(encoding(algorithm!));
  const signed = encoding(tbs!);
  const bits = decodeBitString(signature!);
  return {
    der,
    issuer: nameToString(readStringName(issuer)),
    thisUpdate: decodeTime(thisUpdate),
    nextUpdate,
    entries,
    findRevoked: (serialNumber) => {
      const octets = serialNumberOctets(serialNumber);
      return entries.find((entry) => entry.octets.equals(octets));
    },
    verify: (spki) => algorithmsMatch && signatureVerifies(signed, algorithm!, bits, spki),
  };
}
