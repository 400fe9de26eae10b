import { HelperError } from '../errors.js';
import type { Certificate } from './certificate.js';
import type { SigningIdentity } from './keySource.js';
import { option } from '../optionNames.js';

/**
 * The certificate the service would be sent, checked as the service would check it first: present,
 * of a supported key type, and within its validity period.
 */
export function usableCertificate(identity: SigningIdentity, description: string, now: Date): Certificate {
  const certificate = identity.certificate;
  if (!certificate) {
    throw new HelperError(`unable to find certificate: ${description} has no certificate; give one with ${option('certificate')}`);
  }
  if (now < certificate.notBefore) {
    throw new HelperError(`certificate ${description} is not valid until ${certificate.notBefore.toISOString()}`);
  }
  if (now > certificate.notAfter) {
    throw new HelperError(`certificate ${description} expired at ${certificate.notAfter.toISOString()}`);
  }
  return certificate;
}
