import { execFileSync } from 'node:child_process';

/** Types the line into an interactive shell on a pseudo-terminal (pexpect), presses Tab, then Enter; prints what the terminal showed. */
const DRIVER = `
import pexpect, sys, time
shell, setup, line = sys.argv[1:4]
child = pexpect.spawn(shell, ['--norc', '--noprofile', '-i'] if shell == 'bash' else ['-f', '-i'], encoding='utf-8', dimensions=(24, 200), timeout=15)
child.sendline("PS1='$ '; " + setup + "; echo READY")
child.expect('READY\\r?\\n')
child.expect_exact('$ ')
child.send(line + '\\t')
time.sleep(0.7)
child.send('\\r')
child.expect_exact('$ ')
sys.stdout.write(child.before)
child.sendline('exit')
child.expect(pexpect.EOF)
`;

/**
 * The arguments `program` gets when `line` (which starts with it) is typed into a real bash or zsh, the
 * completion set up by `setUp`, completed with a Tab and run: `program` is a shell function there that
 * prints them, so the candidate is seen as the shell reads it once inserted, its quoting undone.
 */
export function tabCompleted(shell: 'bash' | 'zsh', setUp: string, line: string, cwd: string): string[] {
  const program = line.split(' ')[0]!;
  const output = execFileSync('python3', ['-c', DRIVER, shell, `${setUp}; ${program}() { printf '<%s>\\n' "$@"; }`, line], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: cwd },
  });
  return [...output.matchAll(/^<(.*)>\r?$/gm)].map((match) => match[1]!);
}
