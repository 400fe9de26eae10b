import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { refusedCharacters } from './sessionTags.js';

/** STS's source identity (AssumeRole's SourceIdentity: `[\w+=,.@-]*`, 2 to 64 characters): ASCII letters and digits, and _+=,.@- (no spaces). */
const SOURCE_IDENTITY_CHARACTER = /[A-Za-z0-9_+=,.@-]/;
const SOURCE_IDENTITY_LENGTH = { min: 2, max: 64 };
/** The longest CN that keeps its "CN=" prefix (User Guide, Source identity rules). */
const MAX_PREFIXED_CN = 61;

interface SourceIdentity {
  readonly value: string;
  /** Where it comes from, as a finding says it. */
  readonly origin: string;
}

/**
 * The source identity the service sets (User Guide, Source identity rules): "CN=" and the subject CN when
 * it has at most 61 characters, the CN alone when it has 62 to 64, and "ID=" and the serial number in hex,
 * left-padded with a zero to an even length, when there is no CN (serial 291: ID=0123).
 */
function sourceIdentityOf(certificate: InspectedCertificate): SourceIdentity {
  const commonName = certificate.parsed.subjectName.getField('CN')[0];
  if (commonName === undefined) {
    const hex = BigInt(`0x${certificate.parsed.serialNumber}`).toString(16);
    return { value: `ID=${hex.length % 2 === 0 ? hex : `0${hex}`}`, origin: 'the serial number, as the subject has no CN' };
  }
  if ([...commonName].length <= MAX_PREFIXED_CN) return { value: `CN=${commonName}`, origin: 'the subject CN' };
  return { value: commonName, origin: `the subject CN, without a prefix as it is longer than ${MAX_PREFIXED_CN} characters` };
}

/**
 * The source identity must be one STS takes: characters outside its alphabet, and lengths outside 2 to 64,
 * fail; a space is only a warning because whether the service refuses or rewrites such a CN is not
 * documented, and CNs with spaces are common.
 */
export function sourceIdentityFinding(certificate: InspectedCertificate): Finding {
  const { value, origin } = sourceIdentityOf(certificate);
  const shown = `source identity ${JSON.stringify(value)} (${origin})`;
  const length = [...value].length;
  if (length < SOURCE_IDENTITY_LENGTH.min || length > SOURCE_IDENTITY_LENGTH.max) {
    return fail('sourceIdentity', `${shown}: STS takes a source identity of ${SOURCE_IDENTITY_LENGTH.min} to ${SOURCE_IDENTITY_LENGTH.max} characters, not ${length}`);
  }
  const refused = refusedCharacters(value, SOURCE_IDENTITY_CHARACTER);
  if (!refused) return pass('sourceIdentity', shown);
  const alphabet = 'STS allows ASCII letters, digits and _+=,.@- in a source identity';
  if (refused === '" "') {
    return warn('sourceIdentity', `${shown}: ${alphabet}, not spaces; whether the service refuses or rewrites such a CN is not documented`);
  }
  return fail('sourceIdentity', `${shown}: ${alphabet}, not ${refused}`);
}
