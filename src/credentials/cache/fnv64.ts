/**
 * 64 bits of FNV-1a (two 32-bit lanes), in hex. Not a cryptographic hash, which would load node:crypto on
 * every cache hit: names and digests here only tell inputs apart, and an entry or a shortcut is used only
 * when the whole of what it was written for matches.
 */
export function fnv64(text: string, seed = 0x811c9dc5): string {
  let a = seed;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}
