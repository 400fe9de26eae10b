/**
 * The command's name and the other arguments, as cobra finds them: flags may come before the name
 * (`--certificate cert.pem credential-process ...`), a flag written without `=` taken to hold the next
 * argument (cobra's stripFlags, for the flags its root does not know, which are all of them here).
 * `given` is undefined when no argument is a name. The command line's dispatch and the answer to cobra's
 * `__complete` both take the command this way, as cobra's Find does for both.
 */
export function commandOf(argv: readonly string[]): { given: string | undefined; args: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    // cobra's stripFlags passes over an empty argument and a lone `-`, which name no command (`-` as a flag
    // of no letter, below, which takes no value).
    if (arg === '') continue;
    if (!arg.startsWith('-')) return { given: arg, args: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    if (!arg.includes('=') && (arg.startsWith('--') || arg.length === 2)) i++;
  }
  return { given: undefined, args: argv.slice(1) };
}
