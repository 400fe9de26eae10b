/**
 * The session durations AWS allows, apart from the rest of the session's settings (sessionConfig.ts): the
 * credential cache's entry names hold the default, and a cache hit loads no more than these of them.
 */
export const DEFAULT_SESSION_DURATION = 3600;
/** The shortest session AWS issues, by CreateSession or by STS (a chained role's): 15 minutes. */
export const MIN_SESSION_DURATION = 900;
export const MAX_SESSION_DURATION = 43200;
