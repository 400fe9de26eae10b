import { readRoot, sequence, Tag } from '../asn1/der.js';
import { decodePem, encodePem, utf16Text } from '../asn1/pem.js';
import { variableSource, type Env } from '../context.js';
import { HelperError } from '../errors.js';
import { readInputFile } from '../files/readInputFile.js';

/**
 * The CAs TLS trusts in place of Node's own list (Mozilla's, and NODE_EXTRA_CA_CERTS's): AWS_CA_BUNDLE's
 * (or a profile's ca_bundle), else none given. The system's store is not read, nor SSL_CERT_FILE and
 * SSL_CERT_DIR, as Go (and so the reference) reads them: where they are set system-wide, reading them
 * cost ~80 ms of every https run here (a folder of ~140 files), and Node's list verifies AWS's endpoints.
 * A CA installed in the system's store alone is trusted through AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS (README).
 */
export function trustedCas(env: Env): CaBundle | undefined {
  if (!env.AWS_CA_BUNDLE) return undefined;
  const variable = variableSource(env, 'AWS_CA_BUNDLE');
  // Named in a verification failure's message, which a library user's NODE_EXTRA_CA_CERTS would otherwise seem to be in (QA).
  const name = `${env.AWS_CA_BUNDLE}, which ${variable} names${env.NODE_EXTRA_CA_CERTS ? ' and NODE_EXTRA_CA_CERTS does not add to' : ''}`;
  return { pem: readCaBundle(env.AWS_CA_BUNDLE, variable), name };
}

/** The CAs TLS trusts, and how a message names where they come from. */
export interface CaBundle {
  readonly pem: Buffer;
  readonly name: string;
}

/**
 * The custom CA bundle at `path` (named by `variable`: AWS_CA_BUNDLE, or a profile's ca_bundle): its
 * certificates (see caCertificates), or an error saying it holds none.
 */
function readCaBundle(path: string, variable: string): Buffer {
  const data = readInputFile(path, `custom CA bundle (${variable})`);
  const { blocks, pem } = caCertificates(data);
  if (!blocks) throw new HelperError(`failed to load custom CA bundle PEM file ${path}: ${utf16Text(data) ?? 'no CERTIFICATE block found'}`);
  if (!pem) throw new HelperError(`failed to load custom CA bundle PEM file ${path}: none of its certificates can be read`);
  return Buffer.from(pem, 'latin1');
}

/**
 * A bundle's certificates, as Go's AppendCertsFromPEM takes them (and so the reference): CERTIFICATE blocks
 * without headers, the others skipped, as are blocks that are not a certificate's DER (bad base64, a mangled
 * paste). Node's TLS would stop at such a block and drop every CA after it, so what it is given is the
 * certificates alone, written anew (`pem`). (Their shape is checked, not parsed: a system-wide bundle holds
 * ~150, read on every run.)
 */
function caCertificates(data: Buffer): { blocks: number; pem: string } {
  const certificates = decodePem(data.toString('latin1')).filter((block) => block.type === 'CERTIFICATE');
  const readable = certificates.filter((block) => Object.keys(block.headers).length === 0 && hasCertificateShape(block.der));
  return { blocks: certificates.length, pem: readable.map((block) => encodePem('CERTIFICATE', block.der)).join('') };
}

/** A SEQUENCE of exactly the whole DER, holding two SEQUENCEs and a BIT STRING: a certificate's outline. */
function hasCertificateShape(der: Buffer): boolean {
  try {
    return sequence(readRoot(der)).map((node) => node.tag).join() === [Tag.SEQUENCE, Tag.SEQUENCE, Tag.BIT_STRING].join();
  } catch {
    return false;
  }
}
