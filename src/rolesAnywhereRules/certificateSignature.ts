import { X509Certificate } from 'node:crypto';
import { decodeBitString, decodeOid, encoding, readRoot, sequence } from '../asn1/der.js';
import { parseCertificate, tbsSignatureIndex } from '../keys/certificate.js';
import { mlDsa } from '../mlDsa.js';

/**
 * Whether the issuer's key signed the subject certificate (both DER): by node:crypto, or, for an ML-DSA
 * issuer on a Node whose OpenSSL has no ML-DSA (before 24), by @noble/post-quantum over the TBSCertificate,
 * so that check and the emulator verify such chains on every Node. undefined when neither can tell (a key
 * or algorithm neither knows); a certificate whose DER does not parse is not signed.
 */
export function certificateSignedBy(subject: Buffer, issuer: Buffer): boolean | undefined {
  try {
    return new X509Certificate(subject).verify(new X509Certificate(issuer).publicKey);
  } catch {
    // Not known to this Node's OpenSSL: ML-DSA below.
  }
  try {
    const key = parseCertificate(issuer).publicKey;
    if (!key.keyType?.startsWith('ML-DSA')) return undefined;
    const [tbs, algorithm, signature] = sequence(readRoot(subject), 'Certificate');
    // ML-DSA signs with the algorithm its key names (RFC 9881), which the TBSCertificate's own signature field
    // repeats byte for byte: what OpenSSL, which verifies it on Node 24, requires.
    const fields = sequence(tbs, 'TBSCertificate');
    const inner = fields[tbsSignatureIndex(fields)];
    const parts = sequence(algorithm, 'AlgorithmIdentifier');
    if (decodeOid(parts[0]!) !== key.algorithmOid || !inner || !encoding(inner).equals(encoding(algorithm!))) return false;
    return mlDsa[key.keyType as keyof typeof mlDsa].verify(decodeBitString(signature!), encoding(tbs!), key.keyBits);
  } catch {
    return false;
  }
}
