import { basename } from 'node:path';
import { HelperError, UsageError } from '../errors.js';
import { isDebugEnabled, log } from '../log/logger.js';
import { run as runCredentialProcess } from './commands/credentialProcess.js';
import { parseFlags } from './commandLine.js';
import { COMMANDS, SIMPLE_COMMANDS, type CommandName, type CommandRunner } from './commandTable.js';
import { exclusionViolation } from './flags.js';
import { commandHelp, rootHelp, simpleCommandHelp } from './help.js';
import { VERSION } from './version.js';
import { writeOut } from '../stdio.js';

const PROGRAM_NAMES = new Set(['aws_signing_helper', 'roles-anywhere-helper']);

/**
 * credential-process runs on every AWS CLI call, so its code is part of this entry chunk; every other
 * command is loaded only when it runs.
 */
const COMMAND_RUNNERS: Record<CommandName, () => Promise<CommandRunner>> = {
  'credential-process': async () => runCredentialProcess,
  serve: async () => (await import('./commands/serve.js')).run,
  update: async () => (await import('./commands/update.js')).run,
  'sign-string': async () => (await import('./commands/signString.js')).run,
  'read-certificate-data': async () => (await import('./commands/readCertificateData.js')).run,
};

/**
 * Runs the command line and returns the exit code: 0, or 1 after one log line on stderr that names the
 * input and the reason (a stack trace only with --debug).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const invokedAs = basename(process.argv[1] ?? '').replace(/\.js$/, '');
  const program = PROGRAM_NAMES.has(invokedAs) ? invokedAs : 'aws_signing_helper';
  try {
    await dispatch(program, argv);
    return 0;
  } catch (error) {
    return report(error, program);
  }
}

async function dispatch(program: string, argv: readonly string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    writeOut(rootHelp(program));
    return;
  }
  if (name.startsWith('-')) throw new UsageError(`unknown flag: ${name.replace(/=.*/, '')}`);
  const command = COMMANDS.find((c) => c.name === name);
  if (command) {
    const parsed = parseFlags(args, command.flags);
    if (parsed.help) {
      writeOut(commandHelp(program, command));
      return;
    }
    const violation = exclusionViolation(command.exclusions, (flag) => parsed.given.has(flag));
    if (violation) throw new UsageError(violation);
    const run = await COMMAND_RUNNERS[command.name]();
    await run(parsed.values);
    return;
  }
  switch (name) {
    case 'version':
      if (args.includes('-h') || args.includes('--help')) writeOut(simpleCommandHelp(program, 'version'));
      else writeOut(`${VERSION}\n`);
      return;
    case 'help': {
      const target = args.find((arg) => !arg.startsWith('-'));
      const spec = COMMANDS.find((c) => c.name === target);
      if (spec) writeOut(commandHelp(program, spec));
      else if (target && target in SIMPLE_COMMANDS) writeOut(simpleCommandHelp(program, target as keyof typeof SIMPLE_COMMANDS));
      else writeOut(rootHelp(program));
      return;
    }
    case 'completion': {
      const { completionScript } = await import('./completion.js');
      writeOut(completionScript(program, args));
      return;
    }
    default:
      throw new UsageError(`unknown command "${name}" for "${program}"`);
  }
}

function report(error: unknown, program: string): number {
  if (error instanceof UsageError) {
    log(`${oneLine(error.message)} (see ${program} --help)`);
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

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
