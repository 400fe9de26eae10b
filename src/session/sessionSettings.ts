/**
 * A Roles Anywhere session's settings read and checked: ARNs, role ARNs, Regions and partitions, the
 * endpoint. The session, the route provider, the credential cache, check and serve use them; their bundles
 * require one copy, dist/session.settings.cjs (scripts/build.mjs), rather than each hold its own.
 */
export * from './arn.js';
export * from './endpoint.js';
export * from './partitions.js';
export * from './roleArn.js';
export * from './sessionConfig.js';
