import { printable } from '../../../log/printable.js';
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
    // As cobra answers a topic it does not know: on stderr, and still exit 0; the topic's control characters
    // written out, as log lines write them (an escape sequence typed or pasted would recolour the terminal).
    writeErr(`Unknown help topic [${positionals.map((topic) => `\`${printable(topic)}\``).join(' ')}]\n${rootHelp(program, commands)}`);
  },
});
