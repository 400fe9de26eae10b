import { charactersOutside } from './sessionTagRules.js';

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

/** STS's source identity (AssumeRole's SourceIdentity: `[\w+=,.@-]*`, 2 to 64 characters): ASCII letters and digits, and _+=,.@- (no spaces). */
export const SOURCE_IDENTITY_CHARACTER = /[A-Za-z0-9_+=,.@-]/;
const SOURCE_IDENTITY_LENGTH = { min: 2, max: 64 } as const;
export const SOURCE_IDENTITY_ALPHABET = 'STS allows ASCII letters, digits and _+=,.@- in a source identity';

/**
 * Why STS would refuse this source identity, or undefined: a length outside 2 to 64, or characters outside
 * its alphabet other than spaces (whether the service refuses or rewrites a CN with spaces, which are
 * common, is not documented: `check` warns of them, and the emulator takes them).
 */
export function sourceIdentityProblem(value: string): string | undefined {
  const length = [...value].length;
  if (length < SOURCE_IDENTITY_LENGTH.min || length > SOURCE_IDENTITY_LENGTH.max) {
    return `STS takes a source identity of ${SOURCE_IDENTITY_LENGTH.min} to ${SOURCE_IDENTITY_LENGTH.max} characters, not ${length}`;
  }
  const refused = charactersOutside(value.replaceAll(' ', ''), SOURCE_IDENTITY_CHARACTER);
  return refused.length > 0 ? `${SOURCE_IDENTITY_ALPHABET}, not ${refused.map((char) => JSON.stringify(char)).join(', ')}` : undefined;
}
