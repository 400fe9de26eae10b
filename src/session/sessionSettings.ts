/**
 * A Roles Anywhere session's settings read and checked: ARNs, role ARNs, Regions and partitions, the
 * endpoint. The session, the route provider, check and serve use them; their bundles require one copy,
 * dist/session.settings.cjs (scripts/build.mjs), rather than each hold its own. The credential cache's
 * entry names hold none of them but the default duration (sessionDurations.ts): a cache hit loads none.
 */
export * from './arn.js';
export * from './endpoint.js';
export * from './partitions.js';
export * from './roleArn.js';
export * from './sessionConfig.js';
