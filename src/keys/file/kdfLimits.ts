/**
 * The most work a key file may ask of a key derivation: OpenSSL sets no limit, and a file asking for 2^31
 * iterations would hold the helper for hours.
 */

/**
 * PBKDF2 iterations (encrypted PKCS#8, and PKCS#12's AES files): ten million is the highest count in
 * mainstream use (Apple's backups), seven times what OWASP advises, and a few seconds' work.
 */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

/**
 * A PKCS#12 file's derivations in all, for one password tried: each encrypted part derives its own key (a
 * file of many parts, each under its limit, took as long as one over it: review). PBKDF2 for its AES parts,
 * twice PKCS#8's limit (a key and a certificate made with `-iter 10000000`); PKCS#12's own derivation (its
 * MAC, and the legacy 3DES and RC2 ciphers: two a part), which node-forge runs in JavaScript at about 1.5 s
 * a million: OpenSSL writes 2048 each, Windows 2000, Java's keytool 10,000.
 */
export const MAX_PKCS12_PBKDF2_ITERATIONS = 2 * MAX_PBKDF2_ITERATIONS;
export const MAX_PKCS12_KDF_ITERATIONS = 2_000_000;
