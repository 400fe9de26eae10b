import type { AnyCommand } from '../../command.js';
import { commandOf } from '../../commandOf.js';
import type { FlagSpec } from '../../flags.js';
import { POSITIONALS, valueCompletion } from './completionScript.js';

/** cobra's ShellCompDirective values this answers with: the shell's own file completion, or none. */
const FILE_COMPLETION = 0;
const NO_FILE_COMPLETION = 4;

/**
 * What cobra's hidden `__complete` (and `__completeNoDesc`) command answers, for the completion scripts
 * users saved from the reference (`aws_signing_helper completion bash > …`), which call the program back
 * with the words typed, the last one being completed: a candidate a line, then `:<directive>` (0: let the
 * shell complete file names, for a path flag's value; 4: these only). Commands, a command's flags and
 * words, and flag values, from the same tables as this helper's own scripts; without descriptions.
 */
export function cobraCompletions(words: readonly string[], commands: readonly AnyCommand[]): string {
  const toComplete = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const answer = (candidates: readonly string[], directive = NO_FILE_COMPLETION) =>
    [...candidates.filter((candidate) => candidate.startsWith(toComplete)), `:${directive}`, ''].join('\n');
  // The command as cobra's Find takes it. None after arguments (flags: its root knows none of them), or one
  // it does not know, is cobra's error, answered with nothing and the shell's file completion.
  const { given: name, args } = commandOf(before);
  if (name === undefined && before.length === 0) return answer(commands.map((c) => c.name).sort());
  const command = commands.find((c) => c.name === name);
  if (!command) return answer([], FILE_COMPLETION);
  const flags = Object.entries<FlagSpec>(command.flags);
  const previous = args.at(-1);
  const spec = previous?.startsWith('--') && !previous.includes('=') ? flags.find(([flag]) => `--${flag}` === previous)?.[1] : undefined;
  if (spec) {
    const value = valueCompletion(spec);
    if (value.kind === 'path') return answer([], FILE_COMPLETION);
    if (value.kind === 'values') return answer(value.values);
    if (value.kind === 'free') return answer([]);
  }
  if (toComplete.startsWith('-')) {
    // Those given already are not offered again, but for a list's (stringArray), as cobra offers them; help
    // by both its names (`-h` shows only after a lone `-`, the prefix it shares with the rest).
    const given = givenFlags(args, command.flags);
    const offered = flags.filter(([flag, spec]) => spec.type === 'stringArray' || !given.has(flag)).map(([flag]) => `--${flag}`);
    return answer([...offered, ...(given.has('help') ? [] : ['--help', '-h'])].sort());
  }
  return answer(POSITIONALS(commands)[command.name] ?? []);
}

/**
 * The flags among the arguments (`--name` or `--name=value`), each but a bool one taking the next argument
 * without `=`; help given as its shorthand too (`-h`, `-hh`: the only shorthand there is).
 */
function givenFlags(args: readonly string[], flags: Readonly<Record<string, FlagSpec>>): Set<string> {
  const given = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    if (/^-h+$/.test(args[i]!)) given.add('help');
    const [, name, value] = /^--([^=]+)(=)?/.exec(args[i]!) ?? [];
    if (name === undefined) continue;
    given.add(name);
    if (value === undefined && flags[name] && flags[name].type !== 'bool') i++;
  }
  return given;
}
