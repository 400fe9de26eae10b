import { SOURCE_IDENTITY_ALPHABET, SOURCE_IDENTITY_CHARACTER, MAX_PREFIXED_CN, sourceIdentityOf, sourceIdentityProblem, type SourceIdentity } from '../rolesAnywhereRules/sourceIdentity.js';
import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { refusedCharacters } from './refusedCharacters.js';
import { ATTRIBUTE_TYPES } from '../x509/attributeTypes.js';
import { nameValues } from '../x509/name.js';

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
  const { value, from } = sourceIdentityOf(nameValues(certificate.parsed.subjectName, ATTRIBUTE_TYPES.CN)[0], certificate.parsed.serialNumber);
  const shown = `source identity ${JSON.stringify(value)} (${ORIGINS[from]})`;
  // What STS refuses fails (the emulator refuses it too); a space alone is a warning.
  const problem = sourceIdentityProblem(value);
  if (problem) return fail('sourceIdentity', `${shown}: ${problem}`);
  if (refusedCharacters(value, SOURCE_IDENTITY_CHARACTER)) {
    return warn('sourceIdentity', `${shown}: ${SOURCE_IDENTITY_ALPHABET}, not spaces; whether the service refuses or rewrites such a CN is not documented`);
  }
  return pass('sourceIdentity', shown);
}
