import type { Logger } from '../log/logger.js';
import { arnScope } from './arnScope.js';
import { DEFAULT_ATTRIBUTE_MAPPINGS, withMapping } from './attributeMappings.js';
import { EmulatorSetupError, type EmulatorOptions, type EmulatorTrustAnchor } from './emulatorOptions.js';
import { partitionOfRegion } from './partitionOfRegion.js';
import { MAX_TRUST_ANCHOR_CHARACTERS } from './stringRules.js';
import type { AssumableRole } from './records.js';
import { CrlRejected, inAnchorsScope, roleOutsideScope, RolesAnywhereResources, type TrustAnchorRecord } from './resources.js';
import { normaliseSerial } from './verifyCertificates.js';

/** The trust anchors, profiles, CRLs and revoked serials of the options, each refused with its option's name when it cannot be. */
export async function loadResources(options: EmulatorOptions, now: () => Date): Promise<RolesAnywhereResources> {
  const resources = new RolesAnywhereResources(options.region ?? 'us-east-1', options.accountId ?? '123456789012', now);
  for (const [index, anchor] of (options.trustAnchors ?? []).entries()) await addTrustAnchor(resources, anchor, `trustAnchors[${index}]`);
  for (const { tags, attributeMappings = [], ...profile } of options.profiles ?? []) {
    const record = resources.addProfile({
      ...profile,
      maxDurationSeconds: profile.maxDurationSeconds ?? 43200,
      acceptRoleSessionName: profile.acceptRoleSessionName ?? false,
      enabled: profile.enabled ?? true,
      // Each as PutAttributeMapping would put it, on the mapping a profile is made with.
      attributeMappings: attributeMappings.reduce(
        (mappings, { certificateField, mappingRules }) => withMapping(mappings, certificateField, mappingRules.map((rule) => rule.specifier)),
        DEFAULT_ATTRIBUTE_MAPPINGS,
      ),
    });
    resources.tags.add(record.arn, tags ?? []);
  }
  refuseSharedArns('trustAnchors', resources.trustAnchors);
  refuseSharedArns('profiles', resources.profiles);
  refuseRepeatedRoles(options.assumableRoles ?? []);
  for (const [index, pem] of (options.crls ?? []).entries()) {
    try {
      await resources.addCrlOfAnyAnchor(pem);
    } catch (error) {
      if (error instanceof CrlRejected) throw new EmulatorSetupError(`crls[${index}]`, error.message);
      throw error;
    }
  }
  for (const serial of options.revokedSerials ?? []) resources.revokedByHand.add(normaliseSerial(serial));
  return resources;
}

/**
 * Says which profiles and roles of the set-up CreateSession will refuse every time (of another account or
 * Region than their trust anchor's, a profile without roles), as the service would: a role ARN of a real account with accountId
 * left out, say; which assumable roles AssumeRole will (of another partition); and which trust anchor
 * certificates are no CA. They are kept, for tests of those refusals.
 */
export function warnUnreachable(resources: RolesAnywhereResources, assumableRoles: readonly AssumableRole[], logger: Logger): void {
  for (const anchor of resources.trustAnchors) {
    for (const { parsed } of anchor.certificates) {
      // The workload's certificate given for its CA's, say: every CreateSession would be refused as "not issued by the trust anchor".
      if (!parsed.basicConstraints?.ca) logger.warn(`the trust anchor certificate ${parsed.subject} is not a CA (it has no basicConstraints CA:true): it verifies no certificate`);
    }
  }
  const partition = partitionOfRegion(resources.region);
  for (const [index, { roleArn }] of assumableRoles.entries()) {
    if (arnScope(roleArn).partition !== partition) logger.warn(`assumableRoles[${index}] (${roleArn}) is not of the emulator's partition (${partition}): AssumeRole will refuse it`);
  }
  for (const [index, profile] of resources.profiles.entries()) {
    // Without trust anchors yet, a set-up script creates them through the management API.
    const anchors = resources.trustAnchors;
    if (anchors.length > 0 && !anchors.some((anchor) => inAnchorsScope(profile.arn, anchor))) {
      logger.warn(`profiles[${index}] (${profile.arn}) is of no trust anchor's account and Region: CreateSession will refuse it`);
    }
    if (profile.roleArns.length === 0) logger.warn(`profiles[${index}] (${profile.arn}) has no roleArns: CreateSession will refuse it`);
    for (const roleArn of profile.roleArns) {
      const outside = roleOutsideScope(roleArn, profile.arn);
      if (outside) {
        logger.warn(`profiles[${index}]'s role ${roleArn} is not of the profile's ${outside}: CreateSession will refuse it (the emulator's account and Region set those)`);
      }
    }
  }
}

/**
 * Refuses two resources of one ARN (the same name, or certificates or roles without one, derive the same
 * ID): the second could never be reached.
 */
function refuseSharedArns(option: 'trustAnchors' | 'profiles', records: readonly { readonly arn: string }[]): void {
  const first = new Map<string, number>();
  for (const [index, { arn }] of records.entries()) {
    const earlier = first.get(arn);
    if (earlier !== undefined) {
      const reason = `has the ARN of ${option}[${earlier}] (${arn}): give it a name of its own`;
      throw new EmulatorSetupError(`${option}[${index}]`, reason, `${option}[${index}] ${reason}`);
    }
    first.set(arn, index);
  }
}

/** Refuses a role given twice in assumableRoles: the second entry (another external ID, say) would be ignored. */
function refuseRepeatedRoles(roles: readonly AssumableRole[]): void {
  for (const [index, { roleArn }] of roles.entries()) {
    const earlier = roles.findIndex((role) => role.roleArn === roleArn);
    if (earlier < index) {
      throw new EmulatorSetupError(`assumableRoles[${index}]`, `repeats assumableRoles[${earlier}]'s role (${roleArn}): give each role once`);
    }
  }
}

/** Adds the trust anchor found at `where` (`trustAnchors[1]`), which errors name with its keys. */
async function addTrustAnchor(resources: RolesAnywhereResources, anchor: EmulatorTrustAnchor, where: string): Promise<void> {
  // x509CertificateData's limit, which the management API applies too (QA pki: a bundle the service would refuse).
  const { length } = anchor.certificates;
  if (length > MAX_TRUST_ANCHOR_CHARACTERS) {
    throw new EmulatorSetupError(`${where}.certificates`, `${length} characters, more than the ${MAX_TRUST_ANCHOR_CHARACTERS} CreateTrustAnchor takes`);
  }
  let record: TrustAnchorRecord;
  const { tags, ...input } = anchor;
  try {
    record = resources.addTrustAnchor({ ...input, enabled: anchor.enabled ?? true });
  } catch {
    throw new EmulatorSetupError(`${where}.certificates`, 'not PEM-encoded X.509 certificates');
  }
  resources.tags.add(record.arn, tags ?? []);
  for (const [index, pem] of (anchor.crls ?? []).entries()) {
    try {
      await resources.importCrl({ name: `${record.name}-crl-${index + 1}`, trustAnchorArn: record.arn, pem, enabled: true }, true);
    } catch (error) {
      if (error instanceof CrlRejected) throw new EmulatorSetupError(`${where}.crls[${index}]`, error.setupReason);
      throw error;
    }
  }
}
