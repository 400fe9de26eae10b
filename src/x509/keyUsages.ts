/** The key usage bits of X.509 (RFC 5280 §4.2.1.3): bit n (digitalSignature is 0) as 2^n. */
export const KEY_USAGES = {
  digitalSignature: 1,
  nonRepudiation: 2,
  keyEncipherment: 4,
  dataEncipherment: 8,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
  encipherOnly: 128,
  decipherOnly: 256,
} as const;
