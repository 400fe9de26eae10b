import { basename, dirname } from 'node:path';
import type { Env } from '../context.js';
import { fileStamps, readsRecorded, SHORTCUT_HELPER, writeShortcut } from '../credentials/cache/shortcut.js';
import { lookUpEntry } from '../credentials/cache/entryLookup.js';
import { formatCredentialProcessOutput } from '../outputs/credentialProcess.js';
import { withSharedConfig } from '../session/sharedConfig.js';
import { parseFlags } from './commandLine.js';
import { rolesAnywhereOptions } from './commandOptions.js';
import { CREDENTIAL_PROCESS_FLAGS } from './commands/credentialProcess/flags.js';
import { CREDENTIAL_EXCLUSIONS, exclusionViolation, LOG_EXCLUSIONS } from './flags.js';
import { lostArguments } from './lostArguments.js';
import { SECRET_FLAGS } from './secretFlags.js';

/**
 * `credential-process --cache` answered from a valid cache entry, before the CLI's main bundle (and with it
 * node:crypto, node:net, the key sources) is loaded: this bundle reads the flags, the certificate and the
 * entry, and nothing else. Undefined when it cannot answer for any reason (no entry, debug logging, a flag
 * problem or something to warn about, an input on standard input, which it must leave for the CLI): the CLI then runs as usual and
 * says what there is to say. When it answers, it leaves a shortcut to the entry for the next runs of the
 * same command line (src/credentials/cache/shortcut.ts), unless a secret is on the command line or an
 * input is in the environment: a shortcut records both.
 */
export function cachedCredentialProcessOutput(args: readonly string[], processEnv: Env): string | undefined {
  try {
    const parsed = parseFlags(args, CREDENTIAL_PROCESS_FLAGS);
    const flags = parsed.values;
    if (!flags.cache || flags.debug || flags['log-level'] === 'debug' || parsed.help) return undefined;
    // What the CLI warns about (an octal value, stray arguments), it says on every run, a hit's too.
    if (parsed.notes.length > 0 || lostArguments(parsed.positionals).length > 0) return undefined;
    // The pairs the CLI refuses (src/cli/main.ts): the command's, and --debug with --log-level.
    if (exclusionViolation([...CREDENTIAL_EXCLUSIONS, ...LOG_EXCLUSIONS], (flag) => parsed.given.has(flag))) return undefined;
    const read = READ_FILE_FLAGS.map((flag) => flags[flag]).filter((value): value is string => !!value);
    // The files as they were before they were read: one renewed meanwhile leaves no shortcut.
    const files = secretOrEnvironmentInput(args, Object.values(flags)) ? undefined : fileStamps(read);
    // Read only now: a command line this bundle leaves to the CLI costs no read of the shared config file.
    const env = withSharedConfig(processEnv);
    const recording = readsRecorded(env);
    const options = rolesAnywhereOptions(flags, { env: recording.env, standardInput: leaveStandardInput });
    const { slot, hit } = lookUpEntry(options, recording.env, Date.now()) ?? {};
    if (!slot || !hit) return undefined;
    const reads = recording.reads();
    if (files && reads && JSON.stringify(fileStamps(read)) === JSON.stringify(files)) {
      try {
        writeShortcut(dirname(slot.path), { helper: SHORTCUT_HELPER, args, env: reads, files, entry: basename(slot.path), key: slot.key }, env);
      } catch {
        // A shortcut saves time only: the next run takes this way again, and says nothing either.
      }
    }
    return formatCredentialProcessOutput(hit.credentials);
  } catch {
    return undefined;
  }
}

/** The flags whose files a check reads (the rest it reads as given, or not at all): what a shortcut stamps. */
const READ_FILE_FLAGS = ['certificate', 'intermediates', 'pkcs8-password-file', 'pkcs12-password-file', 'tpm-key-password-file'] as const;

/** Whether the command line holds a secret, or reads an input (which may hold a key) from a variable. */
function secretOrEnvironmentInput(args: readonly string[], values: readonly unknown[]): boolean {
  return (
    values.some((value) => typeof value === 'string' && value.startsWith('env:')) ||
    args.some((arg) => arg.toLowerCase().includes('pin-value') || SECRET_FLAGS.some((flag) => arg === `--${flag}` || arg.startsWith(`--${flag}=`)))
  );
}

function leaveStandardInput(): never {
  throw new Error('standard input is for the CLI to read');
}
