import { UsageError } from '../../../errors.js';
import type { AnyCommand } from '../../command.js';

/**
 * `completion [bash|zsh|fish|powershell]`: a shell script completing the command names and each command's
 * flags. (The reference's cobra generates scripts that call back into the binary; these are static,
 * which is all a fixed set of commands and flags needs.)
 */
export function completionScript(program: string, shell: string | undefined, all: readonly AnyCommand[]): string {
  const commands = all.map((c) => c.name).sort();
  /** The commands that take flags of their own. */
  const COMMANDS = all.filter((c) => Object.keys(c.flags).length > 0).map((c) => ({ name: c.name, flags: Object.keys(c.flags) }));
  const flagsOf = (name: string) => COMMANDS.find((c) => c.name === name)?.flags.map((flag) => `--${flag}`) ?? [];
  const fn = `_${program.replace(/[^A-Za-z0-9]/g, '_')}`;
  switch (shell) {
    case 'bash':
    case 'zsh': {
      const cases = COMMANDS.map((c) => `    ${c.name}) opts="${[...flagsOf(c.name), '--help'].join(' ')}" ;;`).join('\n');
      return [
        ...(shell === 'zsh' ? ['autoload -U +X bashcompinit && bashcompinit'] : []),
        `${fn}() {`,
        '  local cur="${COMP_WORDS[COMP_CWORD]}" opts',
        '  if [ "$COMP_CWORD" -eq 1 ]; then',
        `    COMPREPLY=($(compgen -W "${commands.join(' ')}" -- "$cur")); return`,
        '  fi',
        '  case "${COMP_WORDS[1]}" in',
        cases,
        '    completion) opts="bash zsh fish powershell" ;;',
        `    help) opts="${commands.join(' ')}" ;;`,
        '    *) opts="" ;;',
        '  esac',
        '  COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
        '}',
        `complete -o default -F ${fn} ${program}`,
        '',
      ].join('\n');
    }
    case 'fish':
      return [
        `complete -c ${program} -f -n '__fish_use_subcommand' -a '${commands.join(' ')}'`,
        ...COMMANDS.flatMap((c) => c.flags.map((flag) => `complete -c ${program} -n '__fish_seen_subcommand_from ${c.name}' -l ${flag}`)),
        '',
      ].join('\n');
    case 'powershell': {
      const table = COMMANDS.map((c) => `  '${c.name}' = @(${flagsOf(c.name).map((f) => `'${f}'`).join(', ')})`).join('\n');
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
