import { arnScope } from '../arnScope.js';
import { assumedRoleIdentity } from '../assumedRole.js';
import { remember, type CredentialStore } from '../credentialStore.js';
import { newCredentials } from '../issueCredentials.js';
import { isJsonObject } from '../stringRules.js';
import type { AssumableRole, AssumedRoleSession } from '../records.js';
import type { AssumeRoleResult } from './stsResponses.js';
import { assumeRoleViolations, packedPolicySize } from './assumeRoleParameters.js';
import { listMembers } from './queryParameters.js';
import { checkedTransitiveTagKeys, requestedTags } from './assumeRoleTags.js';
import { accessDenied, malformedPolicyDocument, packedPolicyTooLarge, validationError } from './stsErrors.js';
import type { SigV4Caller } from './verifySigV4.js';

export interface AssumeRoleContext {
  readonly roles: readonly AssumableRole[];
  readonly credentials: CredentialStore;
  readonly now: Date;
  readonly credentialLifetimeSeconds: number | undefined;
}

/** Role sessions (every caller the emulator knows holds one) may chain into a role for an hour at most. */
const ROLE_CHAINING_LIMIT_SECONDS = 3600;

/**
 * AssumeRole as STS answers it for a caller holding role session credentials, which is role chaining:
 * the parameters checked against the API's constraints, DurationSeconds at most an hour (default an hour),
 * the role one the emulator lets be assumed with the external ID it requires, and the caller's source
 * identity carried over (and not changed).
 */
export function assumeRole(params: URLSearchParams, caller: SigV4Caller, context: AssumeRoleContext): { session: AssumedRoleSession; result: AssumeRoleResult } {
  const roleArn = params.get('RoleArn') ?? undefined;
  const roleSessionName = params.get('RoleSessionName') ?? undefined;
  const duration = params.get('DurationSeconds') ?? undefined;
  const externalId = params.get('ExternalId') ?? undefined;
  const sourceIdentity = params.get('SourceIdentity') ?? undefined;
  const invalid = assumeRoleViolations(params);
  if (invalid) throw validationError(invalid);
  // A session policy is not evaluated, but STS parses it: one that is not a JSON object is refused.
  const policy = params.get('Policy');
  if (policy !== null && !isJsonObject(policy)) throw malformedPolicyDocument();
  const transitiveTagKeys = checkedTransitiveTagKeys(params, caller.holder.transitiveTagKeys);
  const durationSeconds = duration === undefined ? ROLE_CHAINING_LIMIT_SECONDS : Number(duration);
  if (durationSeconds > ROLE_CHAINING_LIMIT_SECONDS) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }

  const callerArn = caller.holder.identity.arn;
  const notAuthorized = (action: string, reason: string) =>
    accessDenied(`User: ${callerArn} is not authorized to perform: ${action} on resource: ${roleArn}`, reason);
  const role = context.roles.find((candidate) => candidate.roleArn === roleArn);
  // A trust policy without an sts:ExternalId condition ignores the external ID a caller passes; no trust
  // reaches across partitions (arn:aws-cn:… from arn:aws:…).
  const otherPartition = arnScope(roleArn!).partition !== arnScope(callerArn).partition;
  if (!role) throw notAuthorized('sts:AssumeRole', 'the emulator lets no one assume it: see assumableRoles');
  if (otherPartition) throw notAuthorized('sts:AssumeRole', "it is not of the caller's partition");
  if (role.externalId !== undefined && role.externalId !== externalId) {
    throw notAuthorized('sts:AssumeRole', externalId === undefined ? 'it requires an ExternalId: none was given' : 'it requires another ExternalId');
  }
  const carried = caller.holder.sourceIdentity;
  if (carried !== undefined && sourceIdentity !== undefined && sourceIdentity !== carried) throw notAuthorized('sts:SetSourceIdentity', `the source identity is ${carried}, which cannot change`);

  const packedSize = packedPolicySize(params);
  if (packedSize !== undefined && packedSize > 100) throw packedPolicyTooLarge(packedSize, !params.has('Policy') && !params.has('PolicyArns.member.1.arn'));

  const identity = assumedRoleIdentity(roleArn!, roleSessionName!);
  const credentials = newCredentials(context.now, context.credentialLifetimeSeconds ?? durationSeconds);
  const session: AssumedRoleSession = {
    ...credentials,
    roleArn: roleArn!,
    roleSessionName: roleSessionName!,
    durationSeconds,
    sourceIdentity: carried ?? sourceIdentity,
    externalId,
    tags: requestedTags(params),
    policy: policy ?? undefined,
    policyArns: listMembers(params, 'PolicyArns').flatMap(([, member]) => member.arn ?? []),
    transitiveTagKeys,
    callerArn,
    issuedAt: context.now,
  };
  remember(context.credentials, credentials.accessKeyId, {
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: new Date(credentials.expiration),
    identity,
    sourceIdentity: session.sourceIdentity,
    transitiveTagKeys,
  }, context.now);
  return { session, result: { credentials, identity, sourceIdentity: session.sourceIdentity, packedPolicySize: packedSize } };
}
