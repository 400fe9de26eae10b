import type { Input } from './input.js';
import type { KeyNaming, KeySourceOptions } from './keySource.js';
import { pkcs11Naming } from './pkcs11/pkcs11Naming.js';
import { sshAgentNaming } from './sshAgent/sshAgentNaming.js';
import { tpmNaming } from './tpm/tpmNaming.js';

/**
 * The namings of the kinds of keySourceKinds.ts that name keys otherwise than by a file, for the credential
 * cache, which must tell from the options alone: a cache hit loads no key source (src/cli/cacheHit.ts), and
 * the CLI's main bundle, which loads the kinds, not the parsers these hold. A kind that names keys so is one
 * line here too (test/unit/keys/keyNamings.test.ts checks that each names what its kind claims).
 */
export const KEY_NAMINGS: readonly KeyNaming[] = [pkcs11Naming, sshAgentNaming, tpmNaming];

/** Whether the private-key option, where it names a key otherwise than by a file, names it in a form that parses. */
export function keyNameParses(privateKey: Input): boolean {
  try {
    for (const naming of KEY_NAMINGS) if (naming.namesKey(privateKey)) naming.checkKeyName(privateKey);
    return true;
  } catch {
    return false;
  }
}

/** Whether the certificate option names a certificate otherwise than by a file (a pkcs11: URI). */
export function namesCertificate(certificate: Input): boolean {
  return KEY_NAMINGS.some(({ certificateNaming }) => certificateNaming?.names(certificate));
}

/** A certificate's name as a report shows it: one named otherwise than by a file in a normal form without secrets. */
export function shownCertificateName(name: string): string {
  for (const { certificateNaming } of KEY_NAMINGS) {
    if (certificateNaming?.names(name)) return certificateNaming.shown(name);
  }
  return name;
}

/**
 * What a cache key holds of a certificate named otherwise than by a file (a pkcs11: URI without its PIN,
 * and the module); undefined for a file, whose certificates the key holds instead.
 */
export function namedCertificateIdentity(certificate: Input, options: KeySourceOptions): object | undefined {
  for (const { certificateNaming } of KEY_NAMINGS) {
    if (certificateNaming?.names(certificate)) return certificateNaming.identity(certificate, options);
  }
  return undefined;
}

/** What a cache key holds of a private-key name that chooses a key beyond the certificate's (keyIdentity). */
export function namedKeyIdentity(privateKey: Input | undefined): string | undefined {
  for (const naming of KEY_NAMINGS) if (naming.namesKey(privateKey)) return naming.keyIdentity?.(privateKey);
  return undefined;
}
