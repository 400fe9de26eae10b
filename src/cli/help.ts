import { COMMANDS, SIMPLE_COMMANDS, type CommandSpec } from './commandTable.js';
import { FLAGS } from './flags.js';

const ROOT_DESCRIPTION = 'The credential helper is a tool to retrieve temporary AWS credentials';

/** The root help, laid out as cobra lays it out. */
export function rootHelp(program: string): string {
  const commands: [string, string][] = [
    ...COMMANDS.map((c): [string, string] => [c.name, c.summary]),
    ...Object.entries(SIMPLE_COMMANDS),
  ].sort(([a], [b]) => (a < b ? -1 : 1));
  const width = Math.max(...commands.map(([name]) => name.length));
  return [
    ROOT_DESCRIPTION,
    '',
    'Usage:',
    `  ${program} [command]`,
    '',
    'Available Commands:',
    ...commands.map(([name, summary]) => `  ${name.padEnd(width)} ${summary}`),
    '',
    'Flags:',
    `  -h, --help   help for ${program}`,
    '',
    `Use "${program} [command] --help" for more information about a command.`,
    '',
  ].join('\n');
}

/** A command's help: its summary, usage and flags (sorted, with types and defaults, as pflag prints them). */
export function commandHelp(program: string, command: CommandSpec): string {
  const rows: [string, string][] = [...command.flags].sort().map((name) => {
    const spec = FLAGS[name];
    const type = spec.type === 'bool' ? '' : spec.type === 'int' ? ' int' : ' string';
    const shown = spec.default !== undefined ? ` (default ${JSON.stringify(spec.default)})` : '';
    return [`      --${name}${type}`, `${spec.help}${shown}`];
  });
  rows.push([`  -h, --help`, `help for ${command.name}`]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    command.summary,
    '',
    'Usage:',
    `  ${program} ${command.name} [flags]`,
    '',
    'Flags:',
    ...rows.map(([left, right]) => `${left.padEnd(width)}   ${right}`),
    '',
  ].join('\n');
}

export function simpleCommandHelp(program: string, name: keyof typeof SIMPLE_COMMANDS): string {
  const usage = name === 'completion' ? `${program} completion [bash|zsh|fish|powershell]` : name === 'help' ? `${program} help [command]` : `${program} version`;
  return [SIMPLE_COMMANDS[name], '', 'Usage:', `  ${usage}`, ''].join('\n');
}
