import type { KeyNaming } from '../keySource.js';
import { isTpmHandle, parseTpmHandle } from './tpmHandleSyntax.js';

/** `handle:0x81000101`, for a persistent TPM key (a TSS2 key is a file, told by its content). */
export const tpmNaming = {
  namesKey: isTpmHandle,
  checkKeyName: parseTpmHandle,
} satisfies KeyNaming;
