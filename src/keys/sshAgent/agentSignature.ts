import { ecdsaPartsToDer } from '../ecdsaSignature.js';
import type { Digest } from '../keySource.js';
import { RSA_SHA2_256, RSA_SHA2_512 } from './agentClient.js';
import { WireFormatError, WireReader, printable } from './sshWire.js';

/** How to ask the agent for a signature over a hash, and the signature format it must answer with. */
export interface SignatureRequest {
  readonly flags: number;
  readonly format: string;
}

/**
 * The request for a signature over `digest` with a key of this SSH type, or undefined when agents cannot
 * make one: RSA keys sign with SHA-256 or SHA-512 as the flags ask (RFC 8332), ECDSA P-256 keys with
 * SHA-256 only (RFC 5656).
 */
export function signatureRequest(keyType: string, digest: Digest): SignatureRequest | undefined {
  if (keyType === 'ssh-rsa' && digest === 'SHA256') return { flags: RSA_SHA2_256, format: 'rsa-sha2-256' };
  if (keyType === 'ssh-rsa' && digest === 'SHA512') return { flags: RSA_SHA2_512, format: 'rsa-sha2-512' };
  if (keyType === 'ecdsa-sha2-nistp256' && digest === 'SHA256') return { flags: 0, format: keyType };
  return undefined;
}

/** Why the agent's signature cannot be used. */
export class AgentSignatureError extends Error {}

/**
 * The signature as Roles Anywhere wants it, from the agent's `string format, string blob`: an RSA blob is
 * already the PKCS#1 v1.5 signature; an ECDSA blob's `mpint r, mpint s` become DER. A format other than
 * the one asked for is refused: an old agent answers `ssh-rsa`, a signature over SHA-1, whatever the flags.
 */
export function serviceSignature(answer: Buffer, request: SignatureRequest): Buffer {
  try {
    const reader = new WireReader(answer);
    const format = reader.text();
    if (format !== request.format) {
      const sha1 = format === 'ssh-rsa' ? ' (RSA over SHA-1)' : '';
      throw new AgentSignatureError(
        `the agent answered a signature in format ${printable(format)}${sha1} where ${request.format} was asked for`,
      );
    }
    const blob = reader.string();
    if (request.format.startsWith('rsa-')) return blob;
    const parts = new WireReader(blob);
    return ecdsaPartsToDer(parts.unsignedMpint(), parts.unsignedMpint());
  } catch (error) {
    if (error instanceof WireFormatError) throw new AgentSignatureError(`the agent's signature is malformed: ${error.message}`);
    throw error;
  }
}
