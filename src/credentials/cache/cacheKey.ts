import { decodePem, isPem } from '../../keys/file/pem.js';
import { readInput, type Input } from '../../keys/input.js';
import { formatPkcs11Uri, isPkcs11Uri, parsePkcs11Uri } from '../../keys/pkcs11/uri.js';
import type { SessionConfig } from '../../session/sessionConfig.js';

/** What decides the credentials a request gets (and so what a cache entry is for). */
export interface CacheKeyInputs {
  readonly certificate: Input | undefined;
  readonly intermediates: Input | undefined;
  readonly pkcs11Lib: string | undefined;
  readonly config: SessionConfig;
}

/**
 * The text that names a cache entry: the certificate itself (not its path: a renewed certificate is a new
 * entry; for a pkcs11: URI, the URI and module), the chain, and every request parameter. It reads the
 * certificate and chain and nothing else: no key, no password, no PKCS#11 module, no TPM.
 */
export function cacheKeyMaterial({ certificate, intermediates, pkcs11Lib, config }: CacheKeyInputs): string {
  return JSON.stringify({
    version: 1,
    certificate:
      certificate === undefined
        ? null
        : isPkcs11Uri(certificate)
          ? { uri: withoutPin(certificate), module: pkcs11Lib ?? null }
          : certificatesOf(readInput(certificate, 'certificate'))[0],
    chain: intermediates === undefined ? [] : certificatesOf(readInput(intermediates, 'certificate bundle')),
    trustAnchorArn: config.trustAnchorArn,
    profileArn: config.profileArn,
    roleArn: config.roleArn,
    region: config.signingRegion,
    endpoint: config.endpoint.href,
    durationSeconds: config.durationSeconds,
    roleSessionName: config.roleSessionName ?? null,
  });
}

/** The URI in a normal form, without the PIN it may carry: the same token and object, whatever the PIN. */
function withoutPin(uri: string): string {
  const { pinValue: _value, pinSource: _source, ...rest } = parsePkcs11Uri(uri);
  return formatPkcs11Uri(rest);
}

/**
 * The certificates of a file, base64: the CERTIFICATE blocks of a PEM file (a combined file's key left out),
 * else the whole file (DER, or a PKCS#12 file whose certificates a password guards).
 */
function certificatesOf(data: Buffer): string[] {
  if (!isPem(data)) return [data.toString('base64')];
  const blocks = decodePem(data.toString('latin1')).filter((block) => block.type === 'CERTIFICATE');
  return blocks.length ? blocks.map((block) => block.der.toString('base64')) : [data.toString('base64')];
}

/**
 * The entry's file name: 64 bits of FNV-1a over the material (two 32-bit lanes), in hex. Not a
 * cryptographic hash, which would load node:crypto on every cache hit: the entry holds the material itself
 * and is used only if it matches exactly, so a collision is a miss, never someone else's credentials.
 */
export function cacheEntryName(material: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ material.length;
  for (let i = 0; i < material.length; i++) {
    const c = material.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}.json`;
}
