/**
 * The arguments a command that takes none passes over with a warning (src/cli/main.ts): all but an empty
 * one or a lone `-`, which cobra passes over before the command too, and which lose nothing.
 */
export function lostArguments(positionals: readonly string[]): string[] {
  return positionals.filter((arg) => arg !== '' && arg !== '-');
}

/**
 * The warning for the arguments passed over. A flag with a line break (or a blank) before it in its argument
 * (`\n--certificate`) is one botocore made of a credential_process written over several lines ending in `\`:
 * the backslash keeps the line break in the next word, and the run then fails for want of what those flags
 * gave, in words that do not point there (aws_signing_helper issue #151: "multiple matching identities").
 */
export function lostArgumentsWarning(lost: readonly string[]): string {
  const flags = lost.filter((arg) => /^\s+--?[A-Za-z]/.test(arg)).map((arg) => arg.trim().split('=')[0]);
  const why =
    flags.length === 0
      ? 'a value holding spaces must be quoted'
      : `${listed(flags)} ${flags.length === 1 ? 'was not read as a flag' : 'were not read as flags'}, as a line break or a blank comes first in ` +
        `${flags.length === 1 ? 'its argument' : 'their arguments'}: write a credential_process of ~/.aws/config on one line, without \\ at line ends`;
  return `ignoring what is not a flag: ${JSON.stringify(lost.join(' '))} (${why})`;
}

function listed(names: readonly string[]): string {
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
