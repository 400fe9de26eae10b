import { UsageError } from '../../../errors.js';
import { writeOut } from '../../../stdio.js';
import type { CommandRun } from '../../command.js';
import { completionScript } from './completionScript.js';

/**
 * Prints a completion script for the shell named by the first argument. A word after the shell is refused
 * as cobra's shell commands (NoArgs) refuse it, `completion bash > x` mistyped as `completion bash x`.
 */
export const run: CommandRun<Record<never, never>> = async (_flags, { program, positionals, commands }) => {
  const script = completionScript(program, positionals[0], commands);
  if (positionals.length > 1) throw new UsageError(`unknown command ${JSON.stringify(positionals[1])} for "${program} completion ${positionals[0]}"`);
  writeOut(script);
};
