import type { CredentialStore } from '../credentialStore.js';
import type { EmulatorRequest, Reply } from '../httpExchange.js';
import type { AssumableRole, AssumedRoleSession, Rejection, StsCall } from '../records.js';
import { assumeRole } from './assumeRole.js';
import { queryParameters } from './queryParameters.js';
import { invalidAction, missingAction, notEmulated, repeatedParameters, StsError } from './stsErrors.js';
import { assumeRoleReply, getCallerIdentityReply, stsErrorReply } from './stsResponses.js';
import { verifySigV4 } from './verifySigV4.js';

export interface StsContext {
  readonly credentials: CredentialStore;
  /** The Region of the emulator's STS endpoint, which requests must be signed for. */
  readonly region: string;
  readonly roles: readonly AssumableRole[];
  readonly now: () => Date;
  readonly maxSkewMs: number;
  readonly credentialLifetimeSeconds: number | undefined;
  readonly calls: StsCall[];
  readonly assumedRoles: AssumedRoleSession[];
  /** `reason`: why, for the log, where STS's message does not say. */
  readonly reject: (rejection: Rejection, reason?: string) => void;
}

const VERSION = '2011-06-15';
/** STS's other actions (the AWS SDK's STS client, 2026): answered 501, as the management paths not emulated are. */
const NOT_EMULATED = new Set([
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'AssumeRoot',
  'DecodeAuthorizationMessage',
  'GetAccessKeyInfo',
  'GetDelegatedAccessToken',
  'GetFederationToken',
  'GetScopedCredentials',
  'GetSessionToken',
  'GetWebIdentityToken',
]);

/**
 * STS's query protocol: `Action=…&Version=2011-06-15` in the query (GET), or in the query and the form body
 * (POST), signed with credentials the emulator issued. Answers GetCallerIdentity and AssumeRole in STS's XML,
 * STS's other actions 501 NotImplemented.
 */
export async function handleSts(request: EmulatorRequest, context: StsContext): Promise<Reply> {
  const { parameters: params, repeated } = queryParameters(request);
  const action = params.get('Action') ?? '';
  let callerArn: string | undefined;
  try {
    // Before the signature: a test would otherwise chase an authentication error (AssumeRoleWithWebIdentity is unsigned).
    if (NOT_EMULATED.has(action)) throw notEmulated(action);
    const now = context.now();
    const caller = await verifySigV4(request, { credentials: context.credentials, now, maxSkewMs: context.maxSkewMs, service: 'sts', region: context.region });
    callerArn = caller.holder.identity.arn;
    if (repeated.length > 0) throw repeatedParameters(repeated);
    if (!action) throw missingAction();
    const version = params.get('Version') ?? '';
    let reply: Reply;
    if (version === VERSION && action === 'GetCallerIdentity') {
      reply = getCallerIdentityReply(caller.holder.identity, request.requestId);
    } else if (version === VERSION && action === 'AssumeRole') {
      const { session, result } = assumeRole(params, caller, { ...context, now });
      context.assumedRoles.push(session);
      reply = assumeRoleReply(result, request.requestId);
    } else {
      throw invalidAction(action, version);
    }
    context.calls.push({ action, callerArn, status: reply.status });
    return reply;
  } catch (error) {
    if (!(error instanceof StsError)) throw error;
    context.calls.push({ action, callerArn, status: error.status, code: error.code, message: error.message });
    // A request that names no Action is still named in the log and the rejections.
    context.reject({ operation: action || 'STS request', status: error.status, code: error.code, message: error.message }, error.reason);
    return stsErrorReply(error, request.requestId);
  }
}
