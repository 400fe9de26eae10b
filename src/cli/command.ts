import type { Env } from '../context.js';
import type { Logger } from '../log/logger.js';
import type { OptionNaming } from '../optionNames.js';
import type { Exclusions, FlagSet, FlagValues } from './flags.js';

/** What a command's run gets besides its flags. */
export interface CommandContext {
  readonly logger: Logger;
  readonly env: Env;
  /** The name the helper was run as (aws_signing_helper or roles-anywhere-helper), for messages and help. */
  readonly program: string;
  /**
   * Arguments that are not flags (help's command name, completion's shell); a command that does not use
   * them ignores them, as the reference's do, or is never run with any (`arguments: 'refused'`).
   */
  readonly positionals: readonly string[];
  /** Every command (help and completion describe them). */
  readonly commands: readonly AnyCommand[];
  /** How this command line names options in what the command prints (the logger names them the same way). */
  readonly naming: OptionNaming;
}

export type CommandRun<F extends FlagSet> = (flags: FlagValues<F>, context: CommandContext) => Promise<void>;

/**
 * A command: what help says of it, its flags and the pairs of them it refuses, and `load`, which imports
 * its code. A `load` that calls import() makes the command a bundle of its own, loaded only when it runs
 * (scripts/build.mjs finds those); one that returns a statically imported run keeps it in the main bundle.
 */
export interface Command<F extends FlagSet> {
  readonly name: string;
  readonly summary: string;
  /** What follows the command's name in its usage line (default `[flags]`). */
  readonly usage?: string;
  readonly flags: F;
  readonly exclusions?: Exclusions<F>;
  /**
   * What the command does with arguments that are not flags: `used` (help's command name, `cache clear`);
   * `refused` (`emulator ca.pem`, meant as --trust-anchor-certificate ca.pem), for the commands the
   * reference does not have, free of its rule; else they are ignored, as the reference ignores them, with a
   * warning (`--role-session-name my session` loses "session").
   */
  readonly arguments?: 'used' | 'refused';
  /** What help prints after the flags, for what one line per flag cannot say (an output or file format). */
  readonly details?: string;
  load(): Promise<CommandRun<F>>;
}

/** A command of any flag set, as lists of commands hold them (each run is typed where it is declared). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = Command<any>;

/** Declares a command, inferring the type of its flag values from its flags. */
export function defineCommand<F extends FlagSet>(command: Command<F>): Command<F> {
  return command;
}
