import { printable } from '../../../log/printable.js';
import { writeErr, writeOut } from '../../../stdio.js';
import { defineCommand } from '../../command.js';
import { commandOf } from '../../commandOf.js';
import { LOG_FLAGS } from '../../flags.js';
import { commandHelp, rootHelp, rootUsage } from '../../help.js';

export const helpCommand = defineCommand({
  name: 'help',
  arguments: 'used',
  summary: 'Help about any command',
  usage: '[command]',
  flags: LOG_FLAGS,
  load: async () => async (_flags, { program, positionals, commands }) => {
    // The topic as cobra's Find takes it: an empty word, a lone dash and flags (after `--`) passed over (QA: compared with cobra).
    const { given } = commandOf(positionals);
    const command = commands.find((c) => c.name === given);
    if (command || !given) {
      writeOut(command ? commandHelp(program, command) : rootHelp(program, commands));
      return;
    }
    // As cobra answers a topic it does not know: on stderr, then the root's usage (c.Root().Usage(), not its
    // help), and still exit 0; the topic's control characters written out, as log lines write them (an
    // escape sequence typed or pasted would recolour the terminal).
    writeErr(`Unknown help topic [${positionals.map((topic) => `\`${printable(topic)}\``).join(' ')}]\n${rootUsage(program, commands)}`);
  },
});
