import type { Logger } from './log/logger.js';

/** Environment variables as a caller hands them over (process.env, or a library caller's own). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * What every layer below the CLI takes from its caller instead of reading globals: where to log, and the
 * environment variables to honour (endpoints, proxies, CA bundle, retries, PINs, the TPM). The CLI passes
 * its own logger and process.env; a library caller passes theirs.
 */
export interface Context {
  readonly logger: Logger;
  readonly env: Env;
}

/**
 * For environments filled in from the shared config file (src/session/sharedConfig.ts): where each filled
 * variable's value came from, kept on the environment itself under a registered symbol (not enumerable, so a
 * copy does not take it). Not in a WeakMap of this module's: each bundle (the CLI's, the library's, the
 * session's that serve and update load) holds its own copy of this module, and they noted in one map and
 * looked in another, naming the variable, which was not set (QA).
 */
const FILLED_FROM = Symbol.for('roles-anywhere-helper.filledFrom');

/** Records where the values of `env`'s filled variables came from (`use_fips_endpoint in profile dev of ~/.aws/config`). */
export function noteSources(env: Env, sources: ReadonlyMap<string, string>): Env {
  Object.defineProperty(env, FILLED_FROM, { value: sources });
  return env;
}

/** How a message names where a variable's value came from: the variable, or the shared config setting that filled it in. */
export function variableSource(env: Env, variable: string): string {
  return sourcesOf(env)?.get(variable) ?? variable;
}

/**
 * `env` with `changes` made, where its other filled variables came from kept (a `{ ...env }` copy loses it: a
 * fallback's session and STS named AWS_USE_DUALSTACK_ENDPOINT, not set, for ~/.aws/config's setting; review).
 */
export function withVariables(env: Env, changes: Readonly<Record<string, string>>): Env {
  const copy = { ...env, ...changes };
  const sources = sourcesOf(env);
  return sources ? noteSources(copy, new Map([...sources].filter(([variable]) => !Object.hasOwn(changes, variable)))) : copy;
}

function sourcesOf(env: Env): ReadonlyMap<string, string> | undefined {
  return (env as { readonly [FILLED_FROM]?: ReadonlyMap<string, string> })[FILLED_FROM];
}
