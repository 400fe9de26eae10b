import type { PublicKeyInfo } from '../certificate.js';
import type { Digest } from '../keySource.js';

/** A private key read from a file, ready to sign. */
export interface FilePrivateKey {
  /** Worked out when first asked for. */
  readonly publicKey: PublicKeyInfo;
  /** Whether this is the private key of that public key (of a certificate, say). */
  isKeyOf(publicKey: PublicKeyInfo): boolean;
  sign(data: Buffer, digest: Digest): Buffer;
}
