import { CreateSessionError, HelperError } from '../errors.js';
import type { RolesAnywhereSession } from '../credentials/rolesAnywhereSession.js';
import { option } from '../optionNames.js';
import { fail, pass, skip, type Finding } from './findings.js';

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

/**
 * Without an endpoint, what only the service knows is not checked: a request whose every part passed
 * here may still be refused (QA: a disabled profile, a role not in it, all ✓).
 */
export function serviceNotAsked(): Finding {
  return skip(
    'createSession',
    "the service's settings not checked (trust anchor and profile enabled, the role in the profile, a session name accepted, " +
      `the profile's duration limit): give ${option('endpoint')} to send one CreateSession`,
  );
}
