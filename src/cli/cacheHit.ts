import type { Env } from '../context.js';
import { readEntry } from '../credentials/cache/cacheEntry.js';
import { cacheSlotFor } from '../credentials/cache/credentialCache.js';
import { formatCredentialProcessOutput } from '../outputs/credentialProcess.js';
import { parseFlags } from './commandLine.js';
import { rolesAnywhereOptions } from './commandOptions.js';
import { CREDENTIAL_PROCESS_FLAGS } from './commands/credentialProcess/flags.js';
import { CREDENTIAL_EXCLUSIONS, exclusionViolation } from './flags.js';

/**
 * `credential-process --cache` answered from a valid cache entry, before the CLI's main bundle (and with it
 * node:crypto, node:net, the key sources) is loaded: this bundle reads the flags, the certificate and the
 * entry, and nothing else. Undefined when it cannot answer for any reason (no entry, debug logging, a flag
 * problem, an input on standard input, which it must leave for the CLI): the CLI then runs as usual and
 * says what there is to say.
 */
export function cachedCredentialProcessOutput(args: readonly string[], env: Env): string | undefined {
  try {
    const parsed = parseFlags(args, CREDENTIAL_PROCESS_FLAGS);
    const flags = parsed.values;
    if (!flags.cache || flags.debug || flags['log-level'] === 'debug' || parsed.help) return undefined;
    if (exclusionViolation(CREDENTIAL_EXCLUSIONS, (flag) => parsed.given.has(flag))) return undefined;
    const options = rolesAnywhereOptions(flags, { env, standardInput: leaveStandardInput });
    const slot = cacheSlotFor(options, env);
    const reading = slot && readEntry(slot.path, slot.key, Date.now());
    return reading && 'credentials' in reading ? formatCredentialProcessOutput(reading.credentials) : undefined;
  } catch {
    return undefined;
  }
}

function leaveStandardInput(): never {
  throw new Error('standard input is for the CLI to read');
}
