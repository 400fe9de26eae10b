import { createHash } from 'node:crypto';

/** Bytes as the characters of AWS's unique IDs (`ASIA…` access keys, `AROA…` roles): base32's alphabet. */
export function idCharacters(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** A UUID-shaped ID derived from names: the same names, the same ID at every start. */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
