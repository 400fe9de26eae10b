import { UsageError } from '../../../errors.js';
import type { AnyCommand } from '../../command.js';
import type { FlagSpec } from '../../flags.js';

/** How the bash function's words are taken: as file names where they are paths (a `/` added to folders). */
const BASH_COMPLETE_OPTIONS = '-o filenames';

/** How a flag's value completes: a path, one of its values, nothing to offer, or no value at all (bool). */
type ValueCompletion = { kind: 'path' } | { kind: 'values'; values: readonly string[] } | { kind: 'free' } | { kind: 'none' };

export function valueCompletion(spec: FlagSpec): ValueCompletion {
  if (spec.type === 'bool') return { kind: 'none' };
  if (spec.values) return { kind: 'values', values: spec.values };
  return spec.value === 'path' ? { kind: 'path' } : { kind: 'free' };
}

/** The words a command takes besides flags: completion's shell, help's command name, cache's action. */
export const POSITIONALS = (all: readonly AnyCommand[]): Readonly<Record<string, readonly string[]>> => ({
  completion: ['bash', 'zsh', 'fish', 'powershell'],
  help: all.map((c) => c.name).sort(),
  cache: ['clear'],
});

/**
 * `completion [bash|zsh|fish|powershell]`: a shell script completing the command names, each command's
 * flags, and flag values: paths for path flags, the allowed values of enum flags, and nothing (rather than
 * more flags) where another value is expected. (The reference's cobra generates scripts that call back into
 * the binary; these are static, which is all a fixed set of commands and flags needs.)
 */
export function completionScript(program: string, shell: string | undefined, all: readonly AnyCommand[]): string {
  const commands = all.map((c) => c.name).sort();
  const withFlags = all.filter((c) => Object.keys(c.flags).length > 0);
  const flagsOf = (command: AnyCommand) => Object.entries<FlagSpec>(command.flags);
  const positionals = POSITIONALS(all);
  const fn = `_${program.replace(/[^A-Za-z0-9]/g, '_')}`;
  switch (shell) {
    case 'bash':
      return bashScript(program, fn, commands, positionals, withFlags.map((c) => ({ name: c.name, flags: flagsOf(c) })));
    case 'zsh':
      // The bash script under zsh's bashcompinit, sourced (`source <(... completion zsh)`) or saved as
      // `_<program>` in a folder of $fpath, where compinit finds it by its #compdef line and, on the first
      // completion, runs it as the function of that name: it then registers its own and completes.
      return [
        `#compdef ${program}`,
        'autoload -U +X bashcompinit && bashcompinit',
        bashScript(program, `${fn}_words`, commands, positionals, withFlags.map((c) => ({ name: c.name, flags: flagsOf(c) }))),
        // zsh keeps `--flag=value` one word, where bash splits it at the =: the flag is set aside (to
        // IPREFIX, which stays on the line) and the value completes alone.
        `${fn}() { compset -P 1 '--*='; _bash_complete ${BASH_COMPLETE_OPTIONS} -F ${fn}_words; }`,
        `compdef ${fn} ${program}`,
        // Saved as `_<program>` (the name compinit gives the function); an if, so that sourcing it returns 0.
        `if [[ "\${funcstack[1]}" == "_${program}" ]]; then ${fn}; fi`,
        '',
      ].join('\n');
    case 'fish':
      return [
        `complete -c ${program} -f -n '__fish_use_subcommand' -a '${commands.join(' ')}'`,
        ...Object.entries(positionals).map(([name, words]) => `complete -c ${program} -f -n '__fish_seen_subcommand_from ${name}' -a '${words.join(' ')}'`),
        ...withFlags.flatMap((c) =>
          flagsOf(c).map(([flag, spec]) => {
            const condition = `-n '__fish_seen_subcommand_from ${c.name}' -l ${flag}`;
            const value = valueCompletion(spec);
            if (value.kind === 'path') return `complete -c ${program} ${condition} -r -F`;
            if (value.kind === 'values') return `complete -c ${program} ${condition} -x -a '${value.values.join(' ')}'`;
            return `complete -c ${program} ${condition}${value.kind === 'free' ? ' -x' : ''}`;
          }),
        ),
        '',
      ].join('\n');
    case 'powershell': {
      const words = (c: AnyCommand) => [...(positionals[c.name] ?? []), ...flagsOf(c).map(([flag]) => `--${flag}`)];
      const table = withFlags.map((c) => `  '${c.name}' = @(${words(c).map((word) => `'${word}'`).join(', ')})`).join('\n');
      return [
        `$${fn}Flags = @{`,
        table,
        '}',
        `Register-ArgumentCompleter -Native -CommandName '${program}' -ScriptBlock {`,
        '  param($wordToComplete, $commandAst, $cursorPosition)',
        '  $words = $commandAst.CommandElements | ForEach-Object { $_.ToString() }',
        `  $candidates = if ($words.Count -le 2) { @(${commands.map((c) => `'${c}'`).join(', ')}) } else { $${fn}Flags[$words[1]] }`,
        "  $candidates | Where-Object { $_ -like \"$wordToComplete*\" } | ForEach-Object { [System.Management.Automation.CompletionResult]::new($_) }",
        '}',
        '',
      ].join('\n');
    }
    default:
      throw new UsageError(`completion needs a shell: bash, zsh, fish or powershell (got ${shell === undefined ? 'none' : JSON.stringify(shell)})`);
  }
}

function bashScript(
  program: string,
  fn: string,
  commands: readonly string[],
  positionals: Readonly<Record<string, readonly string[]>>,
  withFlags: readonly { name: string; flags: readonly [string, FlagSpec][] }[],
): string {
  // What follows each value-taking flag, whichever command it belongs to (a flag means the same everywhere).
  const values = new Map<string, string>();
  for (const { flags } of withFlags) {
    for (const [flag, spec] of flags) {
      const value = valueCompletion(spec);
      // One name a line, read as it is: a name with spaces is one candidate, one with [ or * is not a pattern
      // (bash expands an unquoted $(...)); readline quotes it (-o filenames).
      if (value.kind === 'path') values.set(flag, 'while IFS= read -r i; do COMPREPLY+=("$i"); done < <(compgen -f -- "$cur"); return');
      else if (value.kind === 'values') values.set(flag, `COMPREPLY=($(compgen -W "${value.values.join(' ')}" -- "$cur")); return`);
      else if (value.kind === 'free') values.set(flag, 'COMPREPLY=(); return');
    }
  }
  const valueCases = [...values].map(([flag, action]) => `    --${flag}) ${action} ;;`);
  const flagCases = withFlags.map(
    (c) => `    ${c.name}) opts="${[...(positionals[c.name] ?? []), ...c.flags.map(([flag]) => `--${flag}`), '--help'].join(' ')}" ;;`,
  );
  return [
    `${fn}() {`,
    // IPREFIX emptied: bashcompinit's compgen -f looks for $IPREFIX$PREFIX*, and the zsh script sets a `--flag=` aside there.
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" opts command="" i IPREFIX=',
    // bash splits `--flag=value` at the `=`: the flag is the word before it; zsh does not: the flag begins the word.
    '  [ "$prev" = "=" ] && prev="${COMP_WORDS[COMP_CWORD-2]}"',
    '  [[ "$cur" == --*=* ]] && prev="${cur%%=*}"',
    // The command, as cobra finds it: the first word that is neither a flag nor a value of one (flags may come first).
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    case "${COMP_WORDS[i]}" in',
    '      =) ((i++)) ;;',
    `      --*) case " ${[...values.keys()].map((flag) => `--${flag}`).join(' ')} " in *" \${COMP_WORDS[i]} "*) [ "\${COMP_WORDS[i+1]}" != "=" ] && ((i++)) ;; esac ;;`,
    '      -*) ;;',
    '      *) command="${COMP_WORDS[i]}"; break ;;',
    '    esac',
    '  done',
    '  case "$prev" in',
    ...valueCases,
    '  esac',
    '  if [ -z "$command" ] && [[ "$cur" != -* ]]; then',
    `    COMPREPLY=($(compgen -W "${commands.join(' ')}" -- "$cur")); return`,
    '  fi',
    '  case "$command" in',
    ...flagCases,
    '    *) opts="" ;;',
    '  esac',
    '  COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
    '}',
    `complete ${BASH_COMPLETE_OPTIONS} -F ${fn} ${program}`,
    '',
  ].join('\n');
}
