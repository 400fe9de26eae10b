import { writeOut } from '../../../stdio.js';
import type { CommandRun } from '../../command.js';
import { completionScript } from './completionScript.js';

/** Prints a completion script for the shell named by the first argument. */
export const run: CommandRun<Record<never, never>> = async (_flags, { program, positionals, commands }) => {
  writeOut(completionScript(program, positionals[0], commands));
};
