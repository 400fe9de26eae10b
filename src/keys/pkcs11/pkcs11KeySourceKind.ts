import type { KeySourceKind } from '../keySource.js';
import { isPkcs11Uri } from './uri.js';
import { withPkcs11js } from './withPkcs11js.js';

const listing = () => withPkcs11js(() => import('./listCertificates.js'));

/** A pkcs11: URI as the certificate or the key. */
export const pkcs11KeySourceKind: KeySourceKind = {
  chosen: 'attempting to use PKCS11Signer',
  what: 'a PKCS#11 key (its PIN goes in the URI or AWS_ROLESANYWHERE_PKCS11_PIN)',
  passwords: [],
  claims: ({ certificate, privateKey }) => isPkcs11Uri(privateKey) || isPkcs11Uri(certificate),
  open: async (options, context) => (await withPkcs11js(() => import('./pkcs11KeySource.js'))).openPkcs11KeySource(options, context),
  certificates: {
    names: isPkcs11Uri,
    read: async (uri, { pkcs11Lib }, context) => (await listing()).readPkcs11Certificate({ uri, pkcs11Lib }, context),
    list: async (uri, { pkcs11Lib }, context) => (await listing()).listPkcs11Certificates({ uri, pkcs11Lib }, context),
  },
};
