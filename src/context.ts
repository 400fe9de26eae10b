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

/** For environments filled in from the shared config file (src/session/sharedConfig.ts): where each filled variable's value came from. */
const filledFrom = new WeakMap<Env, ReadonlyMap<string, string>>();

/** Records where the values of `env`'s filled variables came from (`use_fips_endpoint in profile dev of ~/.aws/config`). */
export function noteSources(env: Env, sources: ReadonlyMap<string, string>): Env {
  filledFrom.set(env, sources);
  return env;
}

/** How a message names where a variable's value came from: the variable, or the shared config setting that filled it in. */
export function variableSource(env: Env, variable: string): string {
  return filledFrom.get(env)?.get(variable) ?? variable;
}
