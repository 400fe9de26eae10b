/**
 * The arguments a command that takes none passes over with a warning (src/cli/main.ts): all but an empty
 * one or a lone `-`, which cobra passes over before the command too, and which lose nothing.
 */
export function lostArguments(positionals: readonly string[]): string[] {
  return positionals.filter((arg) => arg !== '' && arg !== '-');
}
