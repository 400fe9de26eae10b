import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import { DerError, Tag, content, expectTag, readRoot, sequence } from '../../asn1/der.js';
import { MIN_RSA_BITS, keyAcceptance, rsaModulusBits } from '../acceptedKeys.js';
import { publicKeyBytes } from '../publicKeyBytes.js';
import { parsePublicKeyInfo, type PublicKeyInfo } from '../certificate.js';
import type { AgentIdentity } from './agentClient.js';
import { WireFormatError, WireReader, wireText, wireString } from './sshWire.js';

/** A key of the agent, understood: what it is, how users know it, and whether it can sign for Roles Anywhere. */
export interface AgentKey {
  readonly blob: Buffer;
  readonly comment: string;
  /** The SSH key type, e.g. `ssh-rsa`, `ecdsa-sha2-nistp256` (for an OpenSSH certificate, its key's). */
  readonly type: string;
  /** As `ssh-add -l` prints it: `SHA256:` and the unpadded base64 of the (plain key's) blob's SHA-256. */
  readonly fingerprint: string;
  /** For messages, as `ssh-add -l` names types: `RSA 3072`, `ECDSA P-256`, `ED25519`, `ECDSA-SK`. */
  readonly label: string;
  /** The public key as X.509 has it, to compare with a certificate's; undefined for types the helper does not read. */
  readonly publicKey: PublicKeyInfo | undefined;
  /** Why the key cannot sign for Roles Anywhere; undefined when it can. */
  readonly problem: string | undefined;
  /** RSA keys: the modulus length in bytes, which each of their signatures has (RFC 8017 §8.2.1). */
  readonly modulusBytes?: number;
}

const CURVES: Readonly<Record<string, string>> = { nistp256: 'P-256', nistp384: 'P-384', nistp521: 'P-521' };

const SK_PROBLEM =
  "a security key's (sk-*) signatures cover a counter and flags besides the data, which Roles Anywhere cannot verify";

/**
 * The OpenSSH fingerprint and `ssh-add -l` type of a certificate's key, for a message telling the user which
 * agent key it wants: RSA and ECDSA P-256 (the keys an agent can sign for Roles Anywhere with); else undefined.
 * The key blob is made of what the certificate holds: an RSAPublicKey's DER INTEGERs are SSH mpints as they
 * are (RFC 4251 §5: two's complement, no needless byte), and an EC key's point is uncompressed.
 */
export function sshKeyOf(publicKey: PublicKeyInfo): { fingerprint: string; label: string } | undefined {
  if (publicKey.keyType === 'RSA') {
    let n: Buffer, e: Buffer;
    try {
      const integers = sequence(readRoot(publicKey.keyBits), 'RSAPublicKey');
      [n, e] = [0, 1].map((index) => content(expectTag(integers[index], Tag.INTEGER, 'RSAPublicKey integer'))) as [Buffer, Buffer];
    } catch (error) {
      if (error instanceof DerError) return undefined;
      throw error;
    }
    return { fingerprint: agentFingerprint(Buffer.concat([wireString('ssh-rsa'), wireString(e), wireString(n)])), label: `RSA ${rsaModulusBits(publicKey)}` };
  }
  if (publicKey.keyType === 'EC' && publicKey.curve === 'P-256') {
    const blob = Buffer.concat([wireString('ecdsa-sha2-nistp256'), wireString('nistp256'), wireString(publicKeyBytes(publicKey))]);
    return { fingerprint: agentFingerprint(blob), label: 'ECDSA P-256' };
  }
  return undefined;
}

/** Why an agent cannot sign for Roles Anywhere with a key on `curve`: it signs over the curve's own hash. */
export function agentCurveProblem(curve: string | undefined): string | undefined {
  const hash = curve === 'P-384' ? 'SHA-384' : curve === 'P-521' ? 'SHA-512' : undefined;
  return hash && `agents sign with ${curve} keys over ${hash} (RFC 5656), and Roles Anywhere wants signatures over SHA-256`;
}

export function agentFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function describeAgentKey({ keyBlob, comment }: AgentIdentity): AgentKey {
  const fingerprint = agentFingerprint(keyBlob);
  const reader = new WireReader(keyBlob);
  let type = 'unknown';
  try {
    type = wireText(reader.text());
    const certified = OPENSSH_CERTIFICATE.exec(type)?.[1];
    if (certified) return describeCertificate(keyBlob, comment, certified, reader);
    return { blob: keyBlob, comment, type, fingerprint, ...readPublicKey(type, reader) };
  } catch (error) {
    if (!(error instanceof WireFormatError) && !isInvalidKey(error)) throw error;
    return { blob: keyBlob, comment, type, fingerprint, label: type, publicKey: undefined, problem: `its key blob is malformed` };
  }
}

/** An OpenSSH certificate's key type (PROTOCOL.certkeys), holding the type of the key it certifies. */
const OPENSSH_CERTIFICATE = /^(.+)-cert-v01@openssh\.com$/;

/**
 * An OpenSSH certificate the agent holds with its key (`ssh-add` of a key with its -cert.pub): the agent
 * signs with that key when given the certificate's blob, so it is used as the key is, and known by the key's
 * fingerprint, as `ssh-add -l` shows it. Its blob is the type, a nonce, then the key's fields.
 */
function describeCertificate(blob: Buffer, comment: string, type: string, reader: WireReader): AgentKey {
  reader.string(); // the nonce
  const keyStart = blob.length - reader.remaining;
  const details = readPublicKey(type, reader);
  const plainKey = Buffer.concat([wireString(type), blob.subarray(keyStart, blob.length - reader.remaining)]);
  return { blob, comment, type, fingerprint: agentFingerprint(plainKey), ...details, label: `${details.label} certificate` };
}

type KeyDetails = Pick<AgentKey, 'label' | 'publicKey' | 'problem' | 'modulusBytes'>;

function readPublicKey(type: string, reader: WireReader): KeyDetails {
  if (type === 'ssh-rsa') {
    const e = reader.unsignedMpint();
    const n = reader.unsignedMpint();
    const publicKey = fromJwk({ kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') });
    const bits = rsaModulusBits(publicKey);
    return {
      label: `RSA ${bits}`,
      publicKey,
      problem: keyAcceptance(publicKey).accepted ? undefined : `an RSA key of ${bits} bits is too weak; Roles Anywhere needs ${MIN_RSA_BITS} bits or more`,
      modulusBytes: n.length,
    };
  }
  const ecdsa = /^(sk-)?ecdsa-sha2-nistp\d+(@openssh\.com)?$/.exec(type);
  if (ecdsa) {
    const curve = CURVES[reader.text()];
    const point = reader.string();
    const size = (point.length - 1) / 2;
    if (!curve || point[0] !== 4 || !Number.isInteger(size)) throw new WireFormatError('not an uncompressed point');
    const publicKey = fromJwk({
      kty: 'EC',
      crv: curve,
      x: point.subarray(1, 1 + size).toString('base64url'),
      y: point.subarray(1 + size).toString('base64url'),
    });
    if (ecdsa[1]) return { label: 'ECDSA-SK', publicKey, problem: SK_PROBLEM };
    return { label: `ECDSA ${curve}`, publicKey, problem: agentCurveProblem(curve) };
  }
  if (type === 'ssh-ed25519' || type === 'sk-ssh-ed25519@openssh.com') {
    const publicKey = fromJwk({ kty: 'OKP', crv: 'Ed25519', x: reader.string().toString('base64url') });
    if (type !== 'ssh-ed25519') return { label: 'ED25519-SK', publicKey, problem: SK_PROBLEM };
    return { label: 'ED25519', publicKey, problem: 'Roles Anywhere does not accept Ed25519 keys' };
  }
  return { label: type, publicKey: undefined, problem: `Roles Anywhere cannot use ${type} keys` };
}

function fromJwk(jwk: JsonWebKey): PublicKeyInfo {
  const spki = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  return parsePublicKeyInfo(spki);
}

/** What node:crypto throws for a JWK that is no key (a point off the curve, an empty modulus). */
function isInvalidKey(error: unknown): boolean {
  return error instanceof Error && /^ERR_CRYPTO_|^ERR_OSSL_/.test((error as NodeJS.ErrnoException).code ?? '');
}
