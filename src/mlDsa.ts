/**
 * ML-DSA (FIPS 204), which Node 20 and 22 do not have: @noble/post-quantum's, by variant. A bundle of its
 * own (scripts/build.mjs), shared by what signs and verifies ML-DSA (file keys, check, the emulator, the
 * test PKI), loaded only when an ML-DSA key is met, except by check and the emulator, which verify
 * certificate chains synchronously (src/rolesAnywhereRules/certificateSignature.ts) and load it at start.
 */
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

export const mlDsa = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
