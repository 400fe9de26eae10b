import { writeErr, writeOut } from '../../../stdio.js';
import { defineCommand } from '../../command.js';
import { LOG_FLAGS } from '../../flags.js';
import { commandHelp, rootHelp } from '../../help.js';

export const helpCommand = defineCommand({
  name: 'help',
  arguments: 'used',
  summary: 'Help about any command',
  usage: '[command]',
  flags: LOG_FLAGS,
  load: async () => async (_flags, { program, positionals, commands }) => {
    const command = commands.find((c) => c.name === positionals[0]);
    if (command || positionals.length === 0) {
      writeOut(command ? commandHelp(program, command) : rootHelp(program, commands));
      return;
    }
    // As cobra answers a topic it does not know: on stderr, and still exit 0.
    writeErr(`Unknown help topic [${positionals.map((topic) => `\`${topic}\``).join(' ')}]\n${rootHelp(program, commands)}`);
  },
});
