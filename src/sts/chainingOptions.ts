/**
 * What role chaining's options are, apart from their checks (assumeRoleConfig.ts): the credential cache's
 * entry names hold them, and a cache hit loads no more than these of them.
 */

/** The options of the chained role's request besides the role, which mean nothing without it. */
export const CHAINING_OPTIONS = ['assumeRoleSessionName', 'externalId', 'assumeRoleDurationSeconds', 'assumeRoleTags', 'assumeRoleTransitiveTagKeys'] as const;

/** AWS caps a session assumed with role session credentials (role chaining) at one hour. */
export const MAX_CHAINED_DURATION = 3600;
