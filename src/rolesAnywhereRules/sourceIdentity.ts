/** The longest CN that keeps its "CN=" prefix (User Guide, Source identity rules). */
export const MAX_PREFIXED_CN = 61;

export interface SourceIdentity {
  readonly value: string;
  /** What it was made of: the serial number (no CN), the CN with its prefix, or a CN too long for one. */
  readonly from: 'serialNumber' | 'commonName' | 'longCommonName';
}

/**
 * The source identity the service sets (User Guide, Source identity rules), held once for `check` and the
 * emulator: "CN=" and the subject CN when it has at most 61 characters, the CN alone when it has 62 to 64,
 * and "ID=" and the serial number in hex, left-padded with a zero to an even length, when there is no CN
 * (serial 291: ID=0123).
 */
export function sourceIdentityOf(commonName: string | undefined, serialNumberHex: string): SourceIdentity {
  if (commonName === undefined) {
    const hex = BigInt(`0x${serialNumberHex}`).toString(16);
    return { value: `ID=${hex.length % 2 === 0 ? hex : `0${hex}`}`, from: 'serialNumber' };
  }
  if ([...commonName].length <= MAX_PREFIXED_CN) return { value: `CN=${commonName}`, from: 'commonName' };
  return { value: commonName, from: 'longCommonName' };
}
