// Which certificate signatures Roles Anywhere takes, for `check` and the emulator: "SHA256 or stronger"
// (User Guide, Signature validation), for the end entity, the intermediates and the trust anchor. An
// algorithm not in src/x509/signatureAlgorithms.ts is not known to be accepted.

const STRONG_HASHES: ReadonlySet<string> = new Set(['SHA-256', 'SHA-384', 'SHA-512', 'SHAKE256']);

/** Whether a hash, by name, is SHA-256 or stronger. */
export function isStrongHash(hash: string): boolean {
  return STRONG_HASHES.has(hash);
}
