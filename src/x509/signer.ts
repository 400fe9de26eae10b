/** What signs a certificate or CRL: the AlgorithmIdentifier (DER) it writes in both places, and its signature of the TBS DER. */
export interface Signer {
  readonly algorithm: Buffer;
  sign(data: Buffer): Buffer;
}
