import type { KeySourceKind } from '../keySource.js';
import { isPkcs11Uri } from './uri.js';
import { withPkcs11js } from './withPkcs11js.js';

/** A pkcs11: URI as the certificate or the key. */
export const pkcs11KeySourceKind: KeySourceKind = {
  chosen: 'attempting to use PKCS11Signer',
  what: 'a PKCS#11 key (its PIN goes in the URI or AWS_ROLESANYWHERE_PKCS11_PIN)',
  passwords: [],
  claims: ({ certificate, privateKey }) => isPkcs11Uri(privateKey) || isPkcs11Uri(certificate),
  open: async (options, context) => (await withPkcs11js(() => import('./pkcs11KeySource.js'))).openPkcs11KeySource(options, context),
};
