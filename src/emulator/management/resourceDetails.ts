import type { CrlRecord, ProfileRecord, TrustAnchorRecord } from '../resources.js';
import type { SubjectRecord } from '../subjects.js';
import { arnScope } from '../arnScope.js';

// The resources as the management API writes them (TrustAnchorDetail, ProfileDetail, CrlDetail).

export function trustAnchorDetail(anchor: TrustAnchorRecord) {
  return {
    trustAnchorArn: anchor.arn,
    trustAnchorId: anchor.id,
    name: anchor.name,
    enabled: anchor.enabled,
    source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: anchor.certificatesPem } },
    notificationSettings: anchor.notificationSettings,
    createdAt: anchor.createdAt.toISOString(),
    updatedAt: anchor.updatedAt.toISOString(),
  };
}

export function profileDetail(profile: ProfileRecord) {
  return {
    profileArn: profile.arn,
    profileId: profile.id,
    name: profile.name,
    enabled: profile.enabled,
    roleArns: profile.roleArns,
    durationSeconds: profile.maxDurationSeconds,
    acceptRoleSessionName: profile.acceptRoleSessionName,
    managedPolicyArns: profile.managedPolicyArns ?? [],
    sessionPolicy: profile.sessionPolicy,
    requireInstanceProperties: profile.requireInstanceProperties ?? false,
    attributeMappings: profile.attributeMappings,
    // ProfileDetail's "account that created the profile": the emulator's one account, as it says who configured a notification setting.
    createdBy: arnScope(profile.arn).accountId,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

export function crlDetail(crl: CrlRecord) {
  return {
    crlArn: crl.arn,
    crlId: crl.id,
    name: crl.name,
    enabled: crl.enabled,
    trustAnchorArn: crl.trustAnchorArn,
    crlData: Buffer.from(crl.pem).toString('base64'),
    createdAt: crl.createdAt.toISOString(),
    updatedAt: crl.updatedAt.toISOString(),
  };
}

/** A subject as ListSubjects writes it (SubjectSummary): always enabled, updated when last seen. */
export function subjectSummary(subject: SubjectRecord) {
  return {
    subjectArn: subject.arn,
    subjectId: subject.id,
    enabled: true,
    x509Subject: subject.x509Subject,
    lastSeenAt: subject.lastSeenAt.toISOString(),
    createdAt: subject.createdAt.toISOString(),
    updatedAt: subject.lastSeenAt.toISOString(),
  };
}

/** A subject as GetSubject writes it (SubjectDetail): its summary, the certificates it presented and the instance properties it gave last. */
export function subjectDetail(subject: SubjectRecord) {
  return {
    ...subjectSummary(subject),
    credentials: subject.credentials.map((credential) => ({
      seenAt: credential.seenAt.toISOString(),
      serialNumber: credential.serialNumber,
      issuer: credential.issuer,
      enabled: true,
      x509CertificateData: credential.pem,
      failed: credential.failed,
    })),
    instanceProperties: subject.instanceProperties.map((instance) => ({ seenAt: instance.seenAt.toISOString(), properties: instance.properties, failed: instance.failed })),
  };
}
