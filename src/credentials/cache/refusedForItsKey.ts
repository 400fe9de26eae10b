import type { RolesAnywhereOptions } from '../rolesAnywhereSession.js';
import { readInput } from '../../keys/input.js';
import { keyNameParses, namesCertificate } from '../../keys/keyNamings.js';

/**
 * Whether opening the key would fail in a way the options and the certificate tell, without the key:
 * --pkcs12-password with --private-key, a TPM handle, pkcs11: URI or ssh-agent key that does not parse
 * (`handle:zzzz`), and, without --private-key, a PEM certificate that holds no private key, or that comes
 * with --pkcs12-password. Such options get no credentials from the cache either, which would hand them out
 * as if nothing were wrong. (A password option for another kind of key file, and a key file that does not
 * match, only the key file tells: a hit does not notice those.)
 */
export function refusedForItsKey({ certificate, privateKey, pkcs12Password }: RolesAnywhereOptions): boolean {
  if (privateKey) return pkcs12Password !== undefined || !keyNameParses(privateKey);
  if (certificate === undefined || namesCertificate(certificate)) return false;
  const text = readInput(certificate, 'certificate').toString('latin1');
  return text.includes('-----BEGIN ') && (!text.includes('PRIVATE KEY-----') || pkcs12Password !== undefined);
}
