import { CommanderError } from 'commander';
import { basename } from 'node:path';
import { HelperError, UsageError } from '../errors.js';
import { isDebugEnabled, log } from '../log/logger.js';
import { parseGoBool } from './goSyntax.js';
import { BOOL_FLAGS, buildProgram, type CommandName, type FlagValues } from './program.js';
import { VERSION } from './version.js';

const PROGRAM_NAMES = new Set(['aws_signing_helper', 'roles-anywhere-helper']);

/**
 * Runs the command line and returns the exit code: 0, or 1 after one log line on stderr that names the
 * input and the reason (a stack trace only with --debug).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const invokedAs = basename(process.argv[1] ?? '');
  const programName = PROGRAM_NAMES.has(invokedAs) ? invokedAs : 'aws_signing_helper';
  try {
    const { args, explicitlyFalse } = normaliseBoolFlags(argv);
    const program = buildProgram(programName, VERSION, runCommand, explicitlyFalse);
    if (args.length === 0) {
      process.stdout.write(program.helpInformation());
      return 0;
    }
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    return report(error, programName);
  }
}

/** Each command's code is loaded only when it runs, so credential-process pays for nothing else. */
const COMMAND_MODULES: Record<CommandName, () => Promise<{ run(flags: FlagValues): Promise<void> }>> = {
  'credential-process': () => import('./commands/credentialProcess.js'),
  serve: () => import('./commands/serve.js'),
  update: () => import('./commands/update.js'),
  'sign-string': () => import('./commands/signString.js'),
  'read-certificate-data': () => import('./commands/readCertificateData.js'),
};

async function runCommand(command: CommandName, flags: FlagValues): Promise<void> {
  const module = await COMMAND_MODULES[command]();
  await module.run(flags);
}

/**
 * pflag accepts `--debug=false` / `--debug=true` for bool flags; commander does not. `--flag=true` becomes
 * `--flag`, and `--flag=false` is dropped but remembered as given (it counts for the mutual exclusions).
 */
function normaliseBoolFlags(argv: readonly string[]) {
  const args: string[] = [];
  const explicitlyFalse = new Set<string>();
  for (const [index, arg] of argv.entries()) {
    if (arg === '--') {
      args.push(...argv.slice(index));
      break;
    }
    const match = /^--([^=]+)=(.*)$/s.exec(arg);
    if (!match || !BOOL_FLAGS.has(match[1]!)) {
      args.push(arg);
      continue;
    }
    const [, name, value] = match as unknown as [string, string, string];
    let on: boolean;
    try {
      on = parseGoBool(value);
    } catch (error) {
      throw new UsageError(`invalid argument ${JSON.stringify(value)} for "--${name}" flag: ${(error as Error).message}`);
    }
    if (on) args.push(`--${name}`);
    else explicitlyFalse.add(name);
  }
  return { args, explicitlyFalse };
}

function report(error: unknown, programName: string): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') {
      return 0;
    }
    log(`${commanderMessage(error, programName)} (see ${programName} --help)`);
    return 1;
  }
  if (error instanceof UsageError) {
    log(`${oneLine(error.message)} (see ${programName} --help)`);
    return 1;
  }
  if (error instanceof HelperError) {
    log(oneLine(error.message));
    if (isDebugEnabled() && error.cause) log(`caused by: ${String((error.cause as Error).stack ?? error.cause)}`);
    return 1;
  }
  // Anything else is a bug in the helper, not a problem with the input.
  const message = error instanceof Error ? error.message : String(error);
  log(`internal error: ${oneLine(message)}${isDebugEnabled() ? '' : ' (run with --debug for details)'}`);
  if (isDebugEnabled() && error instanceof Error && error.stack) log(error.stack);
  return 1;
}

/** Commander's errors, worded as the reference's flag library words them. */
function commanderMessage(error: CommanderError, programName: string): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'commander.unknownOption':
      return `unknown flag: ${quoted}`;
    case 'commander.optionMissingArgument':
      return `flag needs an argument: ${quoted.split(' ')[0]}`;
    case 'commander.unknownCommand':
      return `unknown command "${quoted}" for "${programName}"`;
    default:
      return error.message.replace(/^error: /, '');
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
