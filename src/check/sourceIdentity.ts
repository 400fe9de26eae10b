import { MAX_PREFIXED_CN, sourceIdentityOf, type SourceIdentity } from '../rolesAnywhereRules/sourceIdentity.js';
import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { refusedCharacters } from './refusedCharacters.js';

/** STS's source identity (AssumeRole's SourceIdentity: `[\w+=,.@-]*`, 2 to 64 characters): ASCII letters and digits, and _+=,.@- (no spaces). */
const SOURCE_IDENTITY_CHARACTER = /[A-Za-z0-9_+=,.@-]/;
const SOURCE_IDENTITY_LENGTH = { min: 2, max: 64 };
/** Where a source identity comes from, as a finding says it. */
const ORIGINS: Readonly<Record<SourceIdentity['from'], string>> = {
  serialNumber: 'the serial number, as the subject has no CN',
  commonName: 'the subject CN',
  longCommonName: `the subject CN, without a prefix as it is longer than ${MAX_PREFIXED_CN} characters`,
};

/**
 * The source identity must be one STS takes: characters outside its alphabet, and lengths outside 2 to 64,
 * fail; a space is only a warning because whether the service refuses or rewrites such a CN is not
 * documented, and CNs with spaces are common.
 */
export function sourceIdentityFinding(certificate: InspectedCertificate): Finding {
  const { value, from } = sourceIdentityOf(certificate.parsed.subjectName.getField('CN')[0], certificate.parsed.serialNumber);
  const shown = `source identity ${JSON.stringify(value)} (${ORIGINS[from]})`;
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
  // Spaces are only a warning (above): the failure names the characters that fail it.
  const failing = refusedCharacters(value.replaceAll(' ', ''), SOURCE_IDENTITY_CHARACTER);
  return fail('sourceIdentity', `${shown}: ${alphabet}, not ${failing}`);
}
