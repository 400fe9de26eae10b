import type { AnyCommand } from './command.js';
import type { FlagSpec } from './flags.js';

const ROOT_DESCRIPTION = 'The credential helper is a tool to retrieve temporary AWS credentials';

/** The root help, laid out as cobra lays it out: the description, then the usage. */
export function rootHelp(program: string, commands: readonly AnyCommand[]): string {
  return `${ROOT_DESCRIPTION}\n\n${rootUsage(program, commands)}`;
}

/** The root's usage: its help without the description, which cobra prints after an unknown help topic. */
export function rootUsage(program: string, commands: readonly AnyCommand[]): string {
  const rows = commands.map((c): [string, string] => [c.name, c.summary]).sort(([a], [b]) => (a < b ? -1 : 1));
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    'Usage:',
    `  ${program} [command]`,
    '',
    'Available Commands:',
    ...rows.map(([name, summary]) => `  ${name.padEnd(width)} ${summary}`),
    '',
    'Flags:',
    `  -h, --help      help for ${program}`,
    `      --version   version for ${program}`,
    '',
    `Use "${program} [command] --help" for more information about a command.`,
    '',
  ].join('\n');
}

/** A command's help: its summary, usage and flags (sorted, with types and defaults, as pflag prints them). */
export function commandHelp(program: string, command: AnyCommand): string {
  // cobra's help flag is one of the flags, sorted by its name among them, as pflag lists every flag.
  const rows: [string, string][] = [
    ...Object.entries<FlagSpec>(command.flags).map(([name, spec]): [string, [string, string]] => {
      const type = spec.type === 'bool' ? '' : spec.type === 'int' ? ' int' : spec.type === 'stringArray' ? ' stringArray' : ' string';
      // pflag leaves out a default that is its type's zero value, 0 or "" (the emulator's --port 0): none is truthy.
      const shown = spec.default ? ` (default ${JSON.stringify(spec.default)})` : '';
      return [name, [`      --${name}${type}`, `${spec.help}${shown}`]];
    }),
    ['help', ['  -h, --help', `help for ${command.name}`]] as [string, [string, string]],
  ]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, row]) => row);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    command.summary,
    '',
    'Usage:',
    `  ${program} ${command.name} ${command.usage ?? '[flags]'}`,
    '',
    'Flags:',
    ...rows.map(([left, right]) => `${left.padEnd(width)}   ${right}`),
    '',
    ...(command.details ? [command.details, ''] : []),
  ].join('\n');
}
