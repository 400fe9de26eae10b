import type { Context } from '../../context.js';
import type { CredentialProvider } from '../credentialProvider.js';
import type { RolesAnywhereOptions, RolesAnywhereSession } from '../rolesAnywhereSession.js';
import { cachedCredentials } from './cachedCredentials.js';
import { cacheSlotFor } from './credentialCache.js';

/** A session's credentials through the shared cache, or straight from it when there is no cache folder. */
export function withSessionCache(session: RolesAnywhereSession, options: RolesAnywhereOptions, context: Context): CredentialProvider {
  const slot = cacheSlotFor(options, context.env);
  if (!slot) {
    context.logger.warn('warning: no credential cache: ROLES_ANYWHERE_HELPER_CACHE_DIR is off, or there is no home folder');
    return session.getCredentials;
  }
  return cachedCredentials(session.getCredentials, slot, context);
}
