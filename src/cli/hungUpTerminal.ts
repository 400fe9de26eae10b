import { closeSync, openSync } from 'node:fs';

/**
 * Keeps Node from aborting as the process exits after the terminal it was started on went away. Node 20, and
 * 22 until nodejs/node#58200 (22.12 does, 22.23 not), puts a terminal's settings back as it exits, and takes
 * the EIO a hung-up terminal answers for a bug of its own (nodejs/node#51519): serve, update or the emulator
 * in a terminal that closed (an SSH session lost, tmux kill-session) stopped on its SIGHUP, then died of
 * SIGABRT (exit 134, a native stack trace on stderr and maybe a core dump) instead of exiting 0 (QA). Each
 * standard descriptor that was a terminal when this is called and is none as the process exits (a hung-up
 * terminal answers no terminal's call) is pointed at /dev/null then: Node leaves alone a descriptor that is
 * no longer the file it started with. node:tty is loaded here only (~5 ms): for the commands that run until
 * a signal stops them.
 */
export function leaveHungUpTerminalAlone(): void {
  const { isatty } = process.getBuiltinModule('node:tty');
  const terminals = [0, 1, 2].filter((fd) => isatty(fd));
  if (terminals.length === 0) return;
  process.once('exit', () => {
    for (const fd of terminals) if (!isatty(fd)) pointAtNull(fd);
  });
}

/** Puts /dev/null at descriptor `fd`: the lowest free one once it is closed, as the ones below it are open. */
function pointAtNull(fd: number): void {
  try {
    closeSync(fd);
    const opened = openSync('/dev/null', 'r+');
    // Not where it was meant (some other descriptor below it was closed): `fd` stays closed, which Node skips too.
    if (opened !== fd) closeSync(opened);
  } catch {
    // Closed already, or /dev/null missing: Node skips a closed descriptor as well.
  }
}
