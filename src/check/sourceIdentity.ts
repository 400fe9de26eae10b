import { fail, pass, warn, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { refusedCharacters } from './sessionTags.js';

/** STS's source identity alphabet: ASCII letters and digits, and _=,.@- (no spaces). */
const SOURCE_IDENTITY_CHARACTER = /[A-Za-z0-9_=,.@-]/;

/**
 * The service makes the subject's CN the session's source identity. STS refuses characters outside its
 * alphabet there; a space is only a warning because whether the service refuses or rewrites such a CN is
 * not documented, and CNs with spaces are common.
 */
export function sourceIdentityFinding(certificate: InspectedCertificate): Finding {
  const commonName = certificate.parsed.subjectName.getField('CN')[0];
  if (commonName === undefined) return warn('sourceIdentity', 'the subject has no CN, which the service makes the source identity');
  const shown = `source identity ${JSON.stringify(commonName)} (the subject CN)`;
  const refused = refusedCharacters(commonName, SOURCE_IDENTITY_CHARACTER);
  if (!refused) return pass('sourceIdentity', shown);
  const alphabet = 'STS allows letters, digits and _=,.@- in a source identity';
  if (refused === '" "') {
    return warn('sourceIdentity', `${shown}: ${alphabet}, not spaces; whether the service refuses or rewrites such a CN is not documented`);
  }
  return fail('sourceIdentity', `${shown}: ${alphabet}, not ${refused}`);
}
