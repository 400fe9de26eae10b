import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelperError } from '../../errors.js';
import type { Tpm2Tools } from './tpm2Tools.js';
import { Tpm2ToolError, TpmError } from './tpmError.js';
import { decodeTpmPublic, type TpmPublicArea } from './tpmPublicArea.js';
import { isMissingHandle } from './tpmResponseCode.js';

export const hexHandle = (handle: number) => `0x${handle.toString(16).padStart(8, '0')}`;

/** `handle:0x81000101` or `handle:81000101`, as the reference reads them: hex, at most 32 bits. */
export function parseTpmHandle(value: string): number {
  const parts = value.split(':');
  if (parts.length !== 2) throw new HelperError(`invalid TPM handle format: ${value} (expected handle:0x81000001)`);
  const digits = parts[1]!.startsWith('0x') ? parts[1]!.slice(2) : parts[1]!;
  if (!/^[0-9a-fA-F]+$/.test(digits) || BigInt(`0x${digits}`) > 0xffff_ffffn) {
    throw new HelperError(`invalid hex TPM handle value: ${value} (expected handle:0x81000001)`);
  }
  return Number.parseInt(digits, 16);
}

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
  return decodeTpmPublic(readFileSync(path));
}
