import type { CrlRecord, ProfileRecord, TrustAnchorRecord } from '../resources.js';

// The resources as the management API writes them (TrustAnchorDetail, ProfileDetail, CrlDetail).

/**
 * The attribute mapping every profile has from its creation, which CreateSession's session tags follow, as
 * GetProfile reports it (User Guide, "Certificate attribute mapping": default mapping rules in JSON).
 * PutAttributeMapping and DeleteAttributeMapping are not emulated, so it is every profile's.
 */
const DEFAULT_ATTRIBUTE_MAPPINGS = [
  { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] },
  { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'URI' }, { specifier: 'Name/*' }] },
  { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
];

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
    attributeMappings: DEFAULT_ATTRIBUTE_MAPPINGS,
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
