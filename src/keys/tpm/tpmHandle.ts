import { join } from 'node:path';
import type { Tpm2Tools } from './tpm2Tools.js';
import { Tpm2ToolError, TpmError } from './tpmError.js';
import { decodeTpmPublic, type TpmPublicArea } from './tpmPublicArea.js';
import { isMissingHandle } from './tpmResponseCode.js';
import { readToolOutput } from './toolOutput.js';

export const hexHandle = (handle: number) => `0x${handle.toString(16).padStart(8, '0')}`;


/** The public area of the key at a handle (TPM2_ReadPublic). */
export async function readHandlePublic(tools: Tpm2Tools, handle: number, dir: string): Promise<TpmPublicArea> {
  const path = join(dir, 'handle.pub');
  try {
    await tools.run('tpm2_readpublic', ['-Q', '-c', hexHandle(handle), '-o', path]);
  } catch (error) {
    if (error instanceof Tpm2ToolError && isMissingHandle(error.responseCode)) {
      throw new TpmError(`there is no key at handle ${hexHandle(handle)} in the TPM`);
    }
    throw error;
  }
  return decodeTpmPublic(readToolOutput(path, 'tpm2_readpublic', 'public area'));
}
