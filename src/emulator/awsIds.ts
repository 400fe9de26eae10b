/** Bytes as the characters of AWS's unique IDs (`ASIA…` access keys, `AROA…` roles): base32's alphabet. */
export function idCharacters(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
}
