import { HelperError } from '../../errors.js';
import type { Input } from '../input.js';
import { shownPrefixed } from '../../files/looksLikeContent.js';

/** `handle:0x81000101`: a persistent TPM key (what tpmHandle.ts reads from the TPM, the main bundle and a cache hit need not load). */
export function isTpmHandle(input: Input | undefined): input is string {
  return typeof input === 'string' && input.startsWith('handle:');
}

/** `handle:0x81000101` or `handle:81000101`, as the reference reads them: hex, at most 32 bits. */
export function parseTpmHandle(value: string): number {
  const parts = value.split(':');
  if (parts.length !== 2) throw new HelperError(`invalid TPM handle format: ${shownPrefixed(value)} (expected handle:0x81000001)`);
  const digits = parts[1]!.startsWith('0x') ? parts[1]!.slice(2) : parts[1]!;
  if (!/^[0-9a-fA-F]+$/.test(digits) || BigInt(`0x${digits}`) > 0xffff_ffffn) {
    throw new HelperError(`invalid hex TPM handle value: ${shownPrefixed(value)} (expected handle:0x81000001)`);
  }
  return Number.parseInt(digits, 16);
}
