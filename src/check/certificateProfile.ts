import { createPublicKey } from 'node:crypto';
import { ACCEPTED_KEYS, MIN_RSA_BITS, keyAcceptance, rsaModulusBits } from '../keys/acceptedKeys.js';
import { parsePublicKeyInfo } from '../keys/certificate.js';
import { Oid } from '../keys/oids.js';
import { KEY_USAGES } from '../x509/keyUsages.js';
import { fail, pass, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';
import { signatureAlgorithmFinding } from './signatureAlgorithm.js';
import { unknownCriticalExtension, unknownCriticalExtensionProblem } from '../rolesAnywhereRules/criticalExtensions.js';

/**
 * What the service requires of the end-entity certificate itself (its trust model): X.509 v3, a subject, not marked a
 * CA (no basicConstraints CA:true), a keyUsage with digitalSignature, a SHA-256 or stronger signature, and a
 * key of a type and size it accepts.
 */
export function certificateProfileFindings(certificate: InspectedCertificate): Finding[] {
  return [
    versionFinding(certificate),
    subjectFinding(certificate),
    basicConstraintsFinding(certificate),
    keyUsageFinding(certificate),
    signatureAlgorithmFinding(certificate),
    publicKeyFinding(certificate),
    // Said only when it fails: a certificate almost never has such an extension.
    ...criticalExtensionFindings(certificate),
  ];
}

function criticalExtensionFindings({ parsed }: InspectedCertificate): Finding[] {
  const critical = unknownCriticalExtension(parsed);
  return critical ? [fail('extensions', unknownCriticalExtensionProblem(critical))] : [];
}

function versionFinding({ version }: InspectedCertificate): Finding {
  if (version === 3) return pass('version', 'X.509 version 3');
  return fail('version', `X.509 version ${version}: the service accepts version 3 certificates only`);
}

/** "Certificates with empty subjects are NOT yet supported" (User Guide, Trust policy): the service keys its Subject resource on it. */
function subjectFinding(certificate: InspectedCertificate): Finding {
  if (certificate.parsed.subject) return pass('subject', `subject ${certificate.parsed.subject}`);
  return fail('subject', 'empty subject: the service does not support certificates without a subject yet (even with a critical subjectAltName)');
}

function basicConstraintsFinding({ basicConstraints }: InspectedCertificate): Finding {
  // The service refuses CA:true only: "If the CA field is present in the basic constraints extension, its value MUST be false".
  if (!basicConstraints) return pass('basicConstraints', 'end entity, not a CA (no basicConstraints extension)');
  if (basicConstraints.ca) {
    return fail('basicConstraints', 'the certificate is a CA (basicConstraints CA:true): the service refuses CA certificates as end entities');
  }
  return pass('basicConstraints', 'end entity, not a CA (basicConstraints CA:false)');
}

function keyUsageFinding({ keyUsage }: InspectedCertificate): Finding {
  if (keyUsage === undefined) return fail('keyUsage', 'no keyUsage extension: the service requires one with digitalSignature of the end entity');
  if (keyUsage & KEY_USAGES.digitalSignature) return pass('keyUsage', 'keyUsage includes digitalSignature');
  return fail('keyUsage', `keyUsage (${usageNames(keyUsage)}) lacks digitalSignature, which the service requires of the end entity`);
}

function publicKeyFinding(certificate: InspectedCertificate): Finding {
  const spki = certificate.parsed.publicKey;
  const info = parsePublicKeyInfo(spki);
  const acceptance = keyAcceptance(info);
  if (!acceptance.accepted) {
    if (acceptance.rsaBits !== undefined) {
      return fail('publicKey', `RSA key of ${acceptance.rsaBits} bits: the service accepts RSA keys of ${MIN_RSA_BITS} bits or more`);
    }
    return fail('publicKey', `${describeKey(spki, info)}: the service accepts ${ACCEPTED_KEYS}`);
  }
  if (acceptance.keyType === 'RSA') return pass('publicKey', `RSA key of ${rsaModulusBits(info)} bits`);
  if (acceptance.keyType === 'EC') return pass('publicKey', `EC key on ${info.curve}`);
  return pass('publicKey', `${acceptance.keyType} key`);
}

/** A key the helper cannot sign with, named as well as node:crypto can (an EC key on another curve, Ed25519...). */
function describeKey(spki: Buffer, { algorithmOid, curveOid }: ReturnType<typeof parsePublicKeyInfo>): string {
  // Curve parameters spelt out: node:crypto would name the curve they match (prime256v1), which is not the point.
  if (algorithmOid === Oid.ecPublicKey && curveOid === undefined) return 'EC key whose curve is given by its parameters, not by name';
  return `${keyName(spki, algorithmOid)} key`;
}

function keyName(spki: Buffer, algorithmOid: string): string {
  try {
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve ? `EC ${curve}` : (key.asymmetricKeyType ?? algorithmOid);
  } catch {
    return `OID ${algorithmOid}`;
  }
}

function usageNames(usages: number): string {
  const names = Object.entries(KEY_USAGES)
    .filter(([, flag]) => usages & flag)
    .map(([name]) => name);
  return names.length > 0 ? names.join(', ') : 'none';
}
