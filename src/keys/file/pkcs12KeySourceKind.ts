import { Tag, decodeOid, decodeSmallInteger, readNode } from '../../asn1/der.js';
import { HelperError } from '../../errors.js';
import type { KeySourceKind } from '../keySource.js';
import { secretFromEnv } from '../secretVariables.js';
import { isPem } from '../../asn1/pem.js';

/** A PKCS#12 file as the certificate, without --private-key. */
export const pkcs12KeySourceKind: KeySourceKind = {
  chosen: 'not a PEM certificate, so trying PKCS#12',
  what: 'a PKCS#12 file',
  passwords: ['pkcs12Password'],
  claims: ({ privateKey }, keyFile) => !privateKey && !isPem(keyFile()) && looksLikePkcs12(keyFile()),
  open: async (options, { env, logger }) => {
    if (options.intermediates) {
      throw new HelperError(
        "can't specify certificate chain when using PKCS#12 files; certificate bundle should be provided within the PKCS#12 file",
      );
    }
    const { Pkcs12KeySource } = await import('./pkcs12KeySource.js');
    return new Pkcs12KeySource(options.certificate!, { password: options.pkcs12Password, file: options.pkcs12PasswordFile, fromEnv: () => secretFromEnv(env, 'pkcs12Password') }, logger);
  },
};

/** ContentInfo types a PFX's authSafe holds: PKCS#7 data (password integrity) or signedData. */
const AUTH_SAFE_TYPES = ['1.2.840.113549.1.7.1', '1.2.840.113549.1.7.2'];

/**
 * PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo SEQUENCE { contentType OID, ... }, ... },
 * told by its first bytes alone: a file cut short is still known for PKCS#12 (and said to be damaged),
 * and a DER key, whose SEQUENCE also starts with an INTEGER, is not taken for one.
 */
export function looksLikePkcs12(data: Buffer): boolean {
  if (data.length < 32) return false;
  try {
    // Headers only: the lengths they give may run past the end of a truncated file.
    const root = readNode(data, 0, Infinity);
    const version = readNode(data, root.contentStart);
    const authSafe = readNode(data, version.end, Infinity);
    const type = readNode(data, authSafe.contentStart);
    return (
      root.tag === Tag.SEQUENCE && version.tag === Tag.INTEGER && decodeSmallInteger(version) === 3 &&
      authSafe.tag === Tag.SEQUENCE && type.tag === Tag.OID && AUTH_SAFE_TYPES.includes(decodeOid(type))
    );
  } catch {
    return false;
  }
}
