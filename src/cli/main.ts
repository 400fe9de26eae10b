import { basename } from 'node:path';
import { closestName } from '../closestName.js';
import { HelperError, installProblem, InterruptedError, reasonOf, UsageError } from '../errors.js';
import { OUT_OF_FILE_DESCRIPTORS } from '../files/describeFsError.js';
import { logsDebug, type Logger } from '../log/logger.js';
import { readSharedConfig } from '../session/sharedConfig.js';
import { writeOut } from '../stdio.js';
import { cliLogger, logFormatAskedIn, logSettings } from './cliLogger.js';
import { parseFlags } from './commandLine.js';
import { ignoreDebuggerSignal } from './signals.js';
import { commandOf } from './commandOf.js';
import { COMMANDS } from './commands.js';
import { exclusionViolation, flagNamingFor, LOG_EXCLUSIONS } from './flags.js';
import { commandHelp, rootHelp } from './help.js';
import { lostArguments, lostArgumentsWarning } from './lostArguments.js';
import { logNodeWarnings } from './nodeWarnings.js';

const PROGRAM_NAMES = new Set(['aws_signing_helper', 'roles-anywhere-helper']);

/**
 * Runs the command line and returns the exit code: 0, or 1 after one log line on stderr that names the
 * input and the reason (a stack trace only with --debug), or, quietly, a prompt's signal status
 * (InterruptedError: 130, 131, 129), or 1 when stdout's reader is gone (a line at debug only).
 */
export async function main(argv: readonly string[]): Promise<number> {
  ignoreDebuggerSignal();
  const invokedAs = basename(process.argv[1] ?? '').replace(/\.c?js$/, '');
  const program = PROGRAM_NAMES.has(invokedAs) ? invokedAs : 'aws_signing_helper';
  // Until the flags say how to log: in the format the command line asks for, should a flag fail to parse.
  const format = logFormatAskedIn(argv);
  let logger = cliLogger({ level: 'info', format });
  logNodeWarnings(() => logger);
  // Where a flag error points to: the command's own help once the command is known.
  let help = program;
  try {
    const [first] = argv;
    // Before any command, `--` ends the flags: cobra runs the root, which prints its help.
    if (first === '--') {
      writeOut(rootHelp(program, COMMANDS));
      return 0;
    }
    // cobra's hidden command, which the completion scripts saved from the reference call.
    if (first === '__complete' || first === '__completeNoDesc') {
      const { cobraCompletions } = await import('./commands/completion/cobraCompletions.js');
      writeOut(cobraCompletions(argv.slice(1), COMMANDS));
      return 0;
    }
    // `-h` and the rest are the root's flags, read below as pflag reads them (`-h -x` is refused, as by cobra).
    if (first === undefined) {
      writeOut(rootHelp(program, COMMANDS));
      return 0;
    }
    const { given, args } = first === '--version' ? { given: 'version', args: argv.slice(1) } : commandOf(argv);
    const name = given ?? first;
    if (!name || name.startsWith('-')) {
      // No command: the root's flags, of which help is the only one (`-hh`); another is refused in pflag's words.
      // An empty first word (`"$COMMAND"`, unset) names none either: cobra prints the root's help (QA: compared with cobra).
      parseFlags(argv, {});
      writeOut(rootHelp(program, COMMANDS));
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(unknownCommand(name, program));
    logger = cliLogger({ level: 'info', format, command: command.name });
    help = `${program} ${command.name}`;
    const parsed = parseFlags(args, command.flags);
    if (parsed.help) {
      writeOut(commandHelp(program, command));
      return 0;
    }
    // The flags parsed, they say how to log: from here on, a refusal too (conflicting flags) is logged their way.
    const naming = flagNamingFor(parsed.given);
    logger = cliLogger({ ...logSettings(parsed.values), command: command.name, naming });
    for (const note of parsed.notes) logger.warn(note);
    if (parsed.positionals.length > 0 && command.arguments !== 'used') {
      const got = JSON.stringify(parsed.shownPositionals.join(' '));
      if (command.arguments === 'refused') throw new UsageError(`${command.name} takes no arguments, only flags (got ${got})`);
      const lost = lostArguments(parsed.shownPositionals);
      if (lost.length > 0) logger.warn(lostArgumentsWarning(lost));
    }
    const violation = exclusionViolation([...(command.exclusions ?? []), ...LOG_EXCLUSIONS], (flag) => parsed.given.has(flag));
    if (violation) throw new UsageError(violation);
    const run = await command.load();
    const { env, problem: configProblem } = readSharedConfig(process.env);
    if (configProblem) logger.warn(configProblem);
    await run(parsed.values, { logger, env, program, positionals: parsed.positionals, commands: COMMANDS, naming });
    return 0;
  } catch (error) {
    return report(error, help, logger);
  }
}

/**
 * cobra's refusal of a command it does not know, with its suggestions on the same line: the commands at
 * most two edits away, and those the name begins (`cred`: credential-process).
 */
function unknownCommand(name: string, program: string): string {
  const meant = COMMANDS.map((c) => c.name).filter((known) => known.startsWith(name.toLowerCase()) || closestName(name, [known]));
  return `unknown command "${name}" for "${program}"${meant.length ? `; did you mean ${meant.map((known) => `"${known}"`).join(' or ')}?` : ''}`;
}

/** The one place that turns a failure into its log line (options named by the logger) and exit code. */
function report(error: unknown, help: string, logger: Logger): number {
  // One line each: the logger folds an error's line breaks and writes out its control characters (src/cli/cliLogger.ts).
  const debug = logsDebug(logger);
  if (isClosedOutput(error)) {
    // The reader of stdout is gone (`| head`, a parent that stopped reading): no one is left to want the
    // output or a line about it. Exit 1 quietly, as a program SIGPIPE ends does (the reference's Go does).
    logger.debug(`standard output is closed (${error.code}): the output was not written`);
    return 1;
  }
  if (error instanceof InterruptedError) {
    logger.debug(`ended by ${error.signal}'s key at a prompt`);
    return error.exitCode;
  }
  if (error instanceof UsageError) {
    logger.error(`${reasonOf(error)} (see ${help} --help)`);
    return 1;
  }
  if (error instanceof HelperError) {
    logger.error(reasonOf(error));
    if (debug && error.cause) logger.debug(`caused by: ${describeCause(error.cause)}`);
    return 1;
  }
  // The machine's limit, met wherever a file is opened (a module loaded on demand, say): no bug (QA: ulimit -n).
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EMFILE' || code === 'ENFILE') {
    logger.error(`${OUT_OF_FILE_DESCRIPTORS}: ${(error as Error).message}`);
    return 1;
  }
  // A disk or file server failing, wherever a file is looked at (Node's message names it): no bug (QA: EIO on a stat, by strace).
  if (code === 'EIO') {
    logger.error((error as Error).message);
    return 1;
  }
  // A part that could not be loaded as installed (another build's, missing, or its dependencies not found): no bug either.
  const problem = installProblem(error);
  if (problem) {
    logger.error(problem);
    return 1;
  }
  // Anything else is a bug in the helper, not a problem with the input.
  const message = error instanceof Error ? error.message : String(error);
  logger.error(`internal error: ${message}${debug ? '' : ' (run with --debug for details)'}`);
  if (debug && error instanceof Error && error.stack) logger.debug(error.stack);
  return 1;
}

/** A cause's stack, its options named as the log names them (a HelperError's message names them the library's way). */
function describeCause(cause: unknown): string {
  if (cause instanceof HelperError && cause.stack) return cause.stack.replace(cause.message, cause.text);
  return String((cause as Error).stack ?? cause);
}

/** A failed write(2) on stdout: command output is the only thing written with writeSync rather than a stream or socket. */
function isClosedOutput(error: unknown): error is NodeJS.ErrnoException {
  const { code, syscall } = error as NodeJS.ErrnoException;
  return syscall === 'write' && (code === 'EPIPE' || code === 'EBADF');
}
