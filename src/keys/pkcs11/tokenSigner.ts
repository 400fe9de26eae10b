import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { HelperError } from '../../errors.js';
import { ecdsaRawToDer } from '../ecdsaSignature.js';
import { nodeDigestName, type Digest } from '../keySource.js';
import { logInForSignature } from './login.js';
import { describePkcs11Error } from './pkcs11Errors.js';
import type { Pins } from './pin.js';
import type { TokenSession } from './pkcs11Session.js';
import type { TokenKeyType } from './tokenPublicKey.js';

/** A private key object on a token, as found. */
export interface TokenKey {
  readonly session: TokenSession;
  readonly handle: Buffer;
  readonly keyType: TokenKeyType;
  readonly alwaysAuthenticate: boolean;
  readonly id: Buffer | undefined;
  readonly label: Buffer | undefined;
  /** Its URI (token attributes, id, object, type=private), for messages and the context-specific PIN prompt. */
  readonly description: string;
}

/** C_SignInit or C_Sign refused: the key cannot make this signature (wrong key, mechanism, or session gone). */
export class TokenSigningError extends HelperError {}

const RSA_MECHANISMS: Readonly<Record<Digest, number>> = {
  SHA256: pkcs11js.CKM_SHA256_RSA_PKCS,
  SHA384: pkcs11js.CKM_SHA384_RSA_PKCS,
  SHA512: pkcs11js.CKM_SHA512_RSA_PKCS,
};

/** Room for an RSA-8192 signature; ECDSA signatures are far smaller. */
const MAX_SIGNATURE_BYTES = 1024;

/**
 * Signs on the token: RSA PKCS#1 v1.5 with the token hashing (CKM_SHA256_RSA_PKCS, ...), or ECDSA over a
 * digest made here (CKM_ECDSA; SoftHSM and many cards have no CKM_ECDSA_SHA256), the token's raw `r‖s`
 * turned into DER. A CKA_ALWAYS_AUTHENTICATE key gets its context-specific login after C_SignInit.
 */
export async function signWithTokenKey(key: TokenKey, data: Buffer, digest: Digest, pins: Pins): Promise<Buffer> {
  const { api, handle: session } = key.session;
  const mechanism = key.keyType === 'RSA' ? RSA_MECHANISMS[digest] : pkcs11js.CKM_ECDSA;
  const input = key.keyType === 'RSA' ? data : createHash(nodeDigestName[digest]).update(data).digest();
  try {
    api.C_SignInit(session, { mechanism }, key.handle);
  } catch (error) {
    const reason = describePkcs11Error(error);
    throw new TokenSigningError(`signing initiation failed (${reason}): ${key.description}`, { cause: error });
  }
  if (key.alwaysAuthenticate) await logInForSignature(api, session, key.description, pins, key.session.logger);
  let signature: Buffer;
  try {
    signature = api.C_Sign(session, input, Buffer.alloc(MAX_SIGNATURE_BYTES));
  } catch (error) {
    throw new TokenSigningError(`signing failed (${describePkcs11Error(error)}): ${key.description}`, { cause: error });
  }
  return key.keyType === 'EC' ? ecdsaRawToDer(signature) : Buffer.from(signature);
}
