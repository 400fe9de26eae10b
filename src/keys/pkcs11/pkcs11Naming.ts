import type { KeyNaming } from '../keySource.js';
import { checkObjectType, formatPkcs11Uri, isPkcs11Uri, parsePkcs11Uri, uriName } from './uri.js';

/** pkcs11: URIs, for keys and certificates on a token. */
export const pkcs11Naming = {
  namesKey: isPkcs11Uri,
  checkKeyName: (uri) => checkObjectType(parsePkcs11Uri(uri), 'private', 'privateKey'),
  certificateNaming: {
    names: isPkcs11Uri,
    // The same token and object, whatever the PIN: the URI in a normal form without it, and the module.
    identity: (uri, { pkcs11Lib }) => {
      const { pinValue: _value, pinSource: _source, ...rest } = parsePkcs11Uri(uri);
      return { uri: formatPkcs11Uri(rest), module: pkcs11Lib ?? null };
    },
    shown: (uri) => uriName(parsePkcs11Uri(uri)),
  },
} satisfies KeyNaming;
