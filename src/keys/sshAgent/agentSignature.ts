import { ecdsaPartsToDer } from '../ecdsaSignature.js';
import type { Digest } from '../keySource.js';
import type { AgentKey } from './agentKey.js';
import { RSA_SHA2_256, RSA_SHA2_512 } from './agentClient.js';
import { WireFormatError, WireReader, wireText } from './sshWire.js';

/** How to ask the agent for a signature over a hash, and the signature format it must answer with. */
export interface SignatureRequest {
  readonly flags: number;
  readonly format: string;
  /** RSA: the length of the key's signatures, in bytes (its modulus length). */
  readonly rsaSignatureBytes?: number;
}

/**
 * The request for a signature over `digest` with this agent key, or undefined when agents cannot make one:
 * RSA keys sign with SHA-256 or SHA-512 as the flags ask (RFC 8332), ECDSA P-256 keys with SHA-256 only
 * (RFC 5656).
 */
export function signatureRequest(key: Pick<AgentKey, 'type' | 'modulusBytes'>, digest: Digest): SignatureRequest | undefined {
  const rsa = key.type === 'ssh-rsa' && key.modulusBytes !== undefined;
  if (rsa && digest === 'SHA256') return { flags: RSA_SHA2_256, format: 'rsa-sha2-256', rsaSignatureBytes: key.modulusBytes };
  if (rsa && digest === 'SHA512') return { flags: RSA_SHA2_512, format: 'rsa-sha2-512', rsaSignatureBytes: key.modulusBytes };
  if (key.type === 'ecdsa-sha2-nistp256' && digest === 'SHA256') return { flags: 0, format: key.type };
  return undefined;
}

/** Why the agent's signature cannot be used. */
export class AgentSignatureError extends Error {}

/**
 * The signature as Roles Anywhere wants it, from the agent's `string format, string blob`: an RSA blob is
 * the PKCS#1 v1.5 signature, given back its leading zero bytes (RFC 4253 lets agents drop them, as
 * gpg-agent does, so about one signature in 256 comes a byte short, which verifiers refuse); an ECDSA
 * blob's `mpint r, mpint s` become DER. A format other than the one asked for is refused: an old agent
 * answers `ssh-rsa`, a signature over SHA-1, whatever the flags.
 */
export function serviceSignature(answer: Buffer, request: SignatureRequest): Buffer {
  try {
    const reader = new WireReader(answer);
    const format = reader.text();
    if (format !== request.format) {
      const sha1 = format === 'ssh-rsa' ? ' (RSA over SHA-1)' : '';
      throw new AgentSignatureError(
        `the agent answered a signature in format ${wireText(format)}${sha1} where ${request.format} was asked for`,
      );
    }
    const blob = reader.string();
    if (request.rsaSignatureBytes !== undefined) return rsaSignature(blob, request.rsaSignatureBytes);
    const parts = new WireReader(blob);
    return ecdsaPartsToDer(parts.unsignedMpint(), parts.unsignedMpint());
  } catch (error) {
    if (error instanceof WireFormatError) throw new AgentSignatureError(`the agent's signature is malformed: ${error.message}`);
    throw error;
  }
}

/** The RSA signature at the modulus length: zero bytes put back in front, and refused when too long. */
function rsaSignature(blob: Buffer, length: number): Buffer {
  if (blob.length > length) {
    throw new AgentSignatureError(`the agent's RSA signature has ${blob.length} bytes, more than the ${length} of the key's modulus`);
  }
  return blob.length === length ? blob : Buffer.concat([Buffer.alloc(length - blob.length), blob]);
}
