import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublicKeyInfo } from '../certificate.js';
import type { Digest } from '../keySource.js';
import { decodeTpmSignature, tpmSignRequest } from './signatureScheme.js';
import type { Tpm2Tools } from './tpm2Tools.js';
import { Tpm2ToolError, TpmError } from './tpmError.js';
import { isLockout } from './tpmResponseCode.js';
import { readToolOutput } from './toolOutput.js';
import type { TpmHash } from './tpmPublicArea.js';

/** A key tpm2_sign can use: a handle, or the saved context of a key just loaded (which loads it again). */
export interface SigningKey {
  /** tpm2_sign's -c argument. */
  readonly context: string;
  readonly isContextFile: boolean;
  readonly publicKey: PublicKeyInfo;
  /** The hash the key's signing scheme is bound to, if it is. */
  readonly boundHash?: TpmHash | undefined;
}

/**
 * Signs `data` with a TPM key through tpm2_sign: hashes it here, has the TPM sign the digest (RSASSA or
 * ECDSA), and returns the signature as the helper hands signatures on. The password (`auth`, '' for none)
 * goes to tpm2_sign on its stdin (`-p file:-`), never on its command line. A wrong one fails with the
 * tool's error, for withPasswordRetries to ask again once the TPM is unlocked.
 */
export async function signWithTpm(
  tools: Tpm2Tools,
  key: SigningKey,
  auth: string,
  dir: string,
  data: Buffer,
  digest: Digest,
): Promise<Buffer> {
  const request = tpmSignRequest(key.publicKey, data, digest, key.boundHash);
  const digestPath = join(dir, 'digest.bin');
  const signaturePath = join(dir, 'signature.bin');
  writeFileSync(digestPath, request.digest);
  const args = ['-Q', '-c', key.context, '-s', request.scheme, '-g', request.hash, '-d', '-o', signaturePath];
  try {
    await tools.run('tpm2_sign', auth ? [...args, '-p', 'file:-', digestPath] : [...args, digestPath], {
      stdin: auth ? passwordForStdin(auth) : undefined,
      loadsObjects: key.isContextFile,
    });
  } catch (error) {
    if (error instanceof Tpm2ToolError && isLockout(error.responseCode)) {
      throw new TpmError(
        'the TPM refuses passwords for now (dictionary-attack lockout after too many wrong ones); ' +
          'wait for it to recover, or reset it with tpm2_dictionarylockout -c',
      );
    }
    throw error;
  }
  return decodeTpmSignature(readToolOutput(signaturePath, 'tpm2_sign', 'signature'));
}

/**
 * What tpm2-tools read from `-p file:-` they parse as they parse `-p`: `str:abc` is taken as `abc`, `hex:4142`
 * as `AB`, and a trailing newline is dropped, so such a password reached the TPM as other bytes, refused as wrong
 * (and counted towards the TPM's dictionary-attack lockout), where the tpm2-openssl provider takes it as it is.
 * As `hex:` and the hex of its UTF-8 bytes, every password reaches the TPM byte for byte.
 */
function passwordForStdin(password: string): Buffer {
  return Buffer.from(`hex:${Buffer.from(password, 'utf8').toString('hex')}`, 'ascii');
}
