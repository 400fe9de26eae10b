import { readdirSync, readlinkSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { readRoot, sequence, Tag } from '../asn1/der.js';
import { variableSource, type Env } from '../context.js';
import { HelperError } from '../errors.js';
import { readInputFile } from '../files/readInputFile.js';
import { decodePem, encodePem } from '../keys/file/pem.js';

/** Where Go looks for the system's CAs on Linux (crypto/x509), when SSL_CERT_FILE or SSL_CERT_DIR does not say. */
const SYSTEM_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
const SYSTEM_FOLDERS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];

/**
 * The CAs TLS trusts in place of Node's own list (Mozilla's, and NODE_EXTRA_CA_CERTS's): AWS_CA_BUNDLE's
 * (or a profile's ca_bundle); else, when SSL_CERT_FILE or SSL_CERT_DIR is set, the system's, read as Go
 * reads them (and so the reference): the first file that can be read of SSL_CERT_FILE (else of the
 * system's files), and the files of SSL_CERT_DIR's folders (`:`-separated; else the system's folders);
 * else none given. Node's list is not the system store: reading that on every run would cost start-up,
 * so a CA installed there alone is trusted through one of these variables (README).
 */
export function trustedCas(env: Env): Buffer | undefined {
  if (env.AWS_CA_BUNDLE) return readCaBundle(env.AWS_CA_BUNDLE, variableSource(env, 'AWS_CA_BUNDLE'));
  if (!env.SSL_CERT_FILE && !env.SSL_CERT_DIR) return undefined;
  let pem = '';
  for (const file of env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : SYSTEM_FILES) {
    const found = certificatesOf(file);
    if (found === undefined) continue;
    pem = found;
    break;
  }
  for (const folder of env.SSL_CERT_DIR?.split(':').filter(Boolean) ?? SYSTEM_FOLDERS) pem += certificatesInFolder(folder);
  if (!pem) throw new HelperError(`no CA certificate where SSL_CERT_FILE (${env.SSL_CERT_FILE ?? ''}) and SSL_CERT_DIR (${env.SSL_CERT_DIR ?? ''}) lead`);
  return Buffer.from(pem, 'latin1');
}

/**
 * The custom CA bundle at `path` (named by `variable`: AWS_CA_BUNDLE, or a profile's ca_bundle): its
 * certificates (see caCertificates), or an error saying it holds none.
 */
function readCaBundle(path: string, variable: string): Buffer {
  const { blocks, pem } = caCertificates(readInputFile(path, `custom CA bundle (${variable})`));
  if (!blocks) throw new HelperError(`failed to load custom CA bundle PEM file ${path}: no CERTIFICATE block found`);
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

/** A file's certificates, as Go takes them from the system's files ('' for none), or undefined if it cannot be read. */
function certificatesOf(path: string): string | undefined {
  try {
    return caCertificates(readInputFile(path, 'CA file')).pem;
  } catch {
    return undefined;
  }
}

/**
 * The certificates of a folder's files, as Go reads the system's folders: a file that holds none (a CRL, a
 * README) or cannot be read adds none, and a link to a file of the same folder (OpenSSL's hash links) is
 * not read again.
 */
function certificatesInFolder(folder: string): string {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return '';
  }
  let pem = '';
  for (const entry of entries) {
    const path = join(folder, entry.name);
    try {
      if (entry.isSymbolicLink() && !readlinkSync(path).includes('/')) continue;
    } catch {
      continue;
    }
    pem += certificatesOf(path) ?? '';
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
