import type { Input } from '../input.js';

/** `handle:0x81000101`: a persistent TPM key (kept apart from tpmHandle.ts, which the main bundle need not load). */
export function isTpmHandle(input: Input | undefined): input is string {
  return typeof input === 'string' && input.startsWith('handle:');
}
