import { CreateSessionError, HelperError } from '../errors.js';
import type { RolesAnywhereSession } from '../credentials/rolesAnywhereSession.js';
import { fail, pass, type Finding } from './findings.js';

/**
 * Sends one CreateSession and reports what the service answered: credentials (never shown), or its
 * refusal. A request that could not be made (an expired certificate, say) is reported as not sent.
 */
export async function serviceAnswerFinding(session: RolesAnywhereSession): Promise<Finding> {
  const endpoint = session.config.endpoint.href;
  try {
    const credentials = await session.getCredentials();
    return pass('createSession', `CreateSession at ${endpoint}: the service issued credentials, expiring ${credentials.expirationText}`);
  } catch (error) {
    if (error instanceof CreateSessionError) return fail('createSession', `CreateSession at ${endpoint}: ${error.text}`);
    if (error instanceof HelperError) return notSent(error);
    throw error;
  }
}

/** CreateSession could not be sent: the inputs or the key stopped it before the network. */
export function notSent(error: HelperError): Finding {
  return fail('createSession', `CreateSession not sent: ${error.text}`);
}
