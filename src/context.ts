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
