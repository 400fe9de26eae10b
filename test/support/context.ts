import type { Context, Env } from '../../src/context.js';
import { silentLogger } from '../../src/log/logger.js';

/** What in-process tests hand the code below the CLI: no logging, and only the variables a test sets. */
export function testContext(env: Env = {}): Context {
  return { logger: silentLogger, env };
}
