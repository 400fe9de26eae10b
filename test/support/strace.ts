export interface StraceFaultOptions {
  /** Which calls of the syscall get the fault, in strace's `when=` syntax: `1` (the first), `2+` (the second on); default every one. */
  readonly when?: number | string;
  /** Only the calls on this path (strace -P), e.g. a lock folder. */
  readonly path?: string;
  /** Where strace writes its trace (default /dev/null), e.g. to see that the fault was `(INJECTED)`. */
  readonly output?: string;
}

/**
 * strace as a command to run node through (runCli's `via`), doing `fault` to `syscall` in the helper's every
 * thread and child: `fault` is an action of strace's `-e inject=`, e.g. `error=EIO`, `delay_enter=12000000`
 * (microseconds), `signal=SIGKILL`. strace itself says nothing (-qq), so the helper's stderr is its own.
 */
export function straceFault(syscall: string, fault: string, { when, path, output = '/dev/null' }: StraceFaultOptions = {}): string[] {
  const inject = when === undefined ? `inject=${syscall}:${fault}` : `inject=${syscall}:${fault}:when=${when}`;
  return ['strace', '-f', '-qq', '-o', output, ...(path === undefined ? [] : ['-P', path]), '-e', `trace=${syscall}`, '-e', inject];
}
