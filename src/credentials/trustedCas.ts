import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRoot, sequence, Tag } from '../asn1/der.js';
import { variableSource, type Env } from '../context.js';
import { HelperError } from '../errors.js';
import { readInputFile } from '../files/readInputFile.js';
import { decodePem, encodePem } from '../keys/file/pem.js';

/**
 * The CAs TLS trusts in place of Node's own list (Mozilla's, and NODE_EXTRA_CA_CERTS's): AWS_CA_BUNDLE's
 * (or a profile's ca_bundle); else, as Go reads the system's (and so the reference), those of the file
 * SSL_CERT_FILE names and of the files in the folders SSL_CERT_DIR lists (`:`-separated); else none given.
 * Node's list is not the system store: reading that on every run would cost start-up, so a CA installed
 * there alone is trusted through one of these variables (README).
 */
export function trustedCas(env: Env): Buffer | undefined {
  if (env.AWS_CA_BUNDLE) return readCaBundle(env.AWS_CA_BUNDLE, 'custom CA bundle', variableSource(env, 'AWS_CA_BUNDLE'));
  if (!env.SSL_CERT_FILE && !env.SSL_CERT_DIR) return undefined;
  let pem = env.SSL_CERT_FILE ? readCaBundle(env.SSL_CERT_FILE, 'CA file', 'SSL_CERT_FILE').toString('latin1') : '';
  for (const folder of env.SSL_CERT_DIR?.split(':').filter(Boolean) ?? []) pem += certificatesInFolder(folder);
  if (!pem) throw new HelperError(`no CA certificate in the folders SSL_CERT_DIR names (${env.SSL_CERT_DIR})`);
  return Buffer.from(pem, 'latin1');
}

/**
 * The CA bundle at `path` (`what`, named by `variable`): its certificates, as Go's AppendCertsFromPEM takes them (and so the reference):
 * CERTIFICATE blocks without headers, the others skipped, as are blocks that are not a certificate's DER
 * (bad base64, a mangled paste). Node's TLS would stop at such a block and drop every CA after it, so what
 * it is given is the certificates alone, written anew. (Their shape is checked, not parsed: a system-wide
 * bundle holds ~150, read on every run.)
 */
function readCaBundle(path: string, what: string, variable: string): Buffer {
  const certificates = decodePem(readInputFile(path, `${what} (${variable})`).toString('latin1')).filter((block) => block.type === 'CERTIFICATE');
  if (!certificates.length) throw new HelperError(`failed to load ${what} PEM file ${path}: no CERTIFICATE block found`);
  const readable = certificates.filter((block) => Object.keys(block.headers).length === 0 && hasCertificateShape(block.der));
  if (!readable.length) throw new HelperError(`failed to load ${what} PEM file ${path}: none of its certificates can be read`);
  return Buffer.from(readable.map((block) => encodePem('CERTIFICATE', block.der)).join(''), 'latin1');
}

/** The certificates of a folder's files, as Go reads SSL_CERT_DIR: a file that holds none (or cannot be read) is skipped. */
function certificatesInFolder(folder: string): string {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return '';
  }
  let pem = '';
  for (const name of names) {
    try {
      pem += readCaBundle(join(folder, name), 'CA file', 'SSL_CERT_DIR').toString('latin1');
    } catch {
      // Not a certificate file (a README, a CRL): Go skips it too.
    }
  }
  return pem;
}

/** A SEQUENCE of exactly the whole DER, holding two SEQUENCEs and a BIT STRING: a certificate's outline. */
function hasCertificateShape(der: Buffer): boolean {
  try {
    return sequence(readRoot(der)).map((node) => node.tag).join() === [Tag.SEQUENCE, Tag.SEQUENCE, Tag.BIT_STRING].join();
  } catch {
    return false;
  }
}
