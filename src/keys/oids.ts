/** Object identifiers of the key types the helper knows. */
export const Oid = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  mlDsa44: '2.16.840.1.101.3.4.3.17',
  mlDsa65: '2.16.840.1.101.3.4.3.18',
  mlDsa87: '2.16.840.1.101.3.4.3.19',
  prime256v1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  secp521r1: '1.3.132.0.35',
} as const;

export type MlDsaVariant = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';

export const mlDsaVariantByOid: Readonly<Record<string, MlDsaVariant>> = {
  [Oid.mlDsa44]: 'ML-DSA-44',
  [Oid.mlDsa65]: 'ML-DSA-65',
  [Oid.mlDsa87]: 'ML-DSA-87',
};

export const curveNameByOid: Readonly<Record<string, string>> = {
  [Oid.prime256v1]: 'P-256',
  [Oid.secp384r1]: 'P-384',
  [Oid.secp521r1]: 'P-521',
};
