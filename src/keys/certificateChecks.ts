import { HelperError } from '../errors.js';
import { ACCEPTED_KEYS, MIN_RSA_BITS, keyAcceptance } from './acceptedKeys.js';
import type { Certificate } from './certificate.js';
import type { SigningIdentity } from './keySource.js';
import { option } from '../optionNames.js';
import { Oid } from './oids.js';
import { isoSeconds, thisClockReads } from '../isoSeconds.js';
import { NOT_BEFORE_LEEWAY_MS } from './notBeforeLeeway.js';

/**
 * The certificate the service would be sent, checked as the service would check it first: present, within
 * its validity period, and not an RSA key shorter than the service takes (the key sources sign with those,
 * as sign-string does). Not its key's type: each key source refuses a certificate whose key it cannot sign
 * with as it reads it (unsupportedKeyType, or a key that must match it), and signRequest refuses one that
 * got through.
 */
export function usableCertificate(identity: SigningIdentity, description: string, now: Date): Certificate {
  const certificate = identity.certificate;
  if (!certificate) {
    throw new HelperError(`unable to find certificate: ${description} is a key alone; give its certificate with ${option('certificate')}`);
  }
  // A certificate a CA whose clock runs a little ahead has just issued is sent: the service judges it by
  // its own clock, which may be the CA's (as it takes a signature's date within 15 minutes of its own).
  // A path is `certificate /etc/pki/a.pem`; the library's content names itself (`certificate (content)`).
  const named = description.startsWith('certificate ') ? description : `certificate ${description}`;
  // Its end first: one whose end comes before its start is never valid (QA pki: "not valid until" its start).
  if (now > certificate.notAfter) {
    // With this clock's reading, as below: a clock set ahead (a wrong year) ends a certificate early (QA time).
    throw new HelperError(`${named} expired at ${isoSeconds(certificate.notAfter)}, and ${thisClockReads(now)}`);
  }
  if (now.getTime() + NOT_BEFORE_LEEWAY_MS < certificate.notBefore.getTime()) {
    // In UTC beside its start: the log line's time is local, and a clock behind is the usual cause (QA time).
    throw new HelperError(`${named} is not valid until ${isoSeconds(certificate.notBefore)}, and ${thisClockReads(now)}`);
  }
  const acceptance = keyAcceptance(certificate.publicKey);
  if (!acceptance.accepted && acceptance.rsaBits !== undefined) {
    throw new HelperError(`${named} has an RSA key of ${acceptance.rsaBits} bits: Roles Anywhere accepts RSA keys of ${MIN_RSA_BITS} bits or more`);
  }
  return certificate;
}

/** A certificate whose key this helper cannot sign for (an EC key on another curve, Ed25519, ...), by the name given. */
export function unsupportedKeyType(publicKey: Certificate['publicKey'], name: string): HelperError {
  return new HelperError(
    `unsupported key type in certificate ${name} (${describeKeyAlgorithm(publicKey)}); Roles Anywhere accepts ${ACCEPTED_KEYS}`,
  );
}

/** What an unsupported key is: `an EC key on curve 1.3.132.0.10`, else its algorithm's OID. */
function describeKeyAlgorithm({ algorithmOid, curveOid }: Certificate['publicKey']): string {
  if (algorithmOid !== Oid.ecPublicKey) return algorithmOid;
  return curveOid ? `an EC key on curve ${curveOid}` : 'an EC key without a named curve';
}
