import type { Env } from '../context.js';
import { credentialCacheFolder } from '../files/cacheFolder.js';
import { followShortcut } from '../credentials/cache/shortcut.js';
import { formatCredentialProcessOutput } from '../outputs/credentialProcess.js';
import { withSharedConfig } from '../session/sharedConfig.js';

/**
 * `credential-process --cache` answered by the shortcut a cache hit of the same command line left
 * (src/credentials/cache/shortcut.ts): no flags parsed, no certificate read. Undefined when there is none,
 * or it no longer holds: the cache-hit bundle (src/cli/cacheHit.ts) then checks in full.
 */
export function shortcutOutput(args: readonly string[], env: Env): string | undefined {
  try {
    const folder = credentialCacheFolder(env);
    const credentials = folder && followShortcut(folder, args, withSharedConfig(env), Date.now());
    return credentials ? formatCredentialProcessOutput(credentials) : undefined;
  } catch {
    return undefined;
  }
}
