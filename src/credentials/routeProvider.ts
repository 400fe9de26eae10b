import type { Context } from '../context.js';
import type { SessionConfig } from '../session/sessionConfig.js';
import { assumeRole, type AssumeRoleOptions } from '../sts/assumeRole.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import { chained, type ChainedOptions } from './chained.js';
import type { CredentialProvider } from './credentialProvider.js';
import type { CredentialRoute } from './credentialRoute.js';
import { firstThatAnswers } from './firstThatAnswers.js';

/** CreateSession in one Region, over the session's key source, by the deadline when there is one. */
export type CreateSessionIn = (config: SessionConfig, deadline?: number) => Promise<TemporaryCredentials>;

/**
 * The provider for a route that chains into a role or falls back to other Regions (a bundle of its own,
 * loaded only then: it holds the STS client). Each Region chains through its own STS, so that the chained
 * call goes to the Region that answered; the Regions are tried in turn within the retry deadline, one
 * bound for the whole call.
 */
export function routeProvider(
  route: CredentialRoute,
  createSessionIn: CreateSessionIn,
  options: AssumeRoleOptions & Pick<ChainedOptions, 'certificate'>,
  context: Context,
): CredentialProvider {
  const { certificate, ...callOptions } = options;
  const links = route.regions.map(({ name, session, sts }) => {
    const fromRegion = (deadline?: number) => createSessionIn(session, deadline);
    const { assumeRole: chainedRole } = route;
    return {
      name,
      provider:
        chainedRole && sts
          ? chained(fromRegion, (source, deadline) => assumeRole(source, { config: chainedRole, endpoint: sts }, { ...callOptions, deadline }, context), { certificate })
          : fromRegion,
    };
  });
  if (links.length === 1) return (fetchOptions) => links[0]!.provider(undefined, fetchOptions);
  return firstThatAnswers(links, { boundMs: callOptions.retry.deadlineMs, logger: context.logger });
}
