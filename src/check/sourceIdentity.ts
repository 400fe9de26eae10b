import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { refusedCharacters } from './sessionTags.js';

/** STS's source identity (AssumeRole's SourceIdentity: `[\w+=,.@-]*`, 2 to 64 characters): ASCII letters and digits, and _+=,.@- (no spaces). */
const SOURCE_IDENTITY_CHARACTER = /[A-Za-z0-9_+=,.@-]/;
const SOURCE_IDENTITY_LENGTH = { min: 2, max: 64 };

/**
 * The service makes the subject's CN the session's source identity. STS refuses characters outside its
 * alphabet there, and lengths outside 2 to 64; a space is only a warning because whether the service
 * refuses or rewrites such a CN is not documented, and CNs with spaces are common.
 */
export function sourceIdentityFinding(certificate: InspectedCertificate): Finding {
  const commonName = certificate.parsed.subjectName.getField('CN')[0];
  if (commonName === undefined) return warn('sourceIdentity', 'the subject has no CN, which the service makes the source identity');
  const shown = `source identity ${JSON.stringify(commonName)} (the subject CN)`;
  const length = [...commonName].length;
  if (length < SOURCE_IDENTITY_LENGTH.min || length > SOURCE_IDENTITY_LENGTH.max) {
    return fail('sourceIdentity', `${shown}: STS takes a source identity of ${SOURCE_IDENTITY_LENGTH.min} to ${SOURCE_IDENTITY_LENGTH.max} characters, not ${length}`);
  }
  const refused = refusedCharacters(commonName, SOURCE_IDENTITY_CHARACTER);
  if (!refused) return pass('sourceIdentity', shown);
  const alphabet = 'STS allows ASCII letters, digits and _+=,.@- in a source identity';
  if (refused === '" "') {
    return warn('sourceIdentity', `${shown}: ${alphabet}, not spaces; whether the service refuses or rewrites such a CN is not documented`);
  }
  return fail('sourceIdentity', `${shown}: ${alphabet}, not ${refused}`);
}
