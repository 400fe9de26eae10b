import type { Logger } from '../log/logger.js';

/**
 * Node's own warnings (NODE_TLS_REJECT_UNAUTHORIZED=0's) as lines of the CLI's logger (the one `current`
 * gives: it changes once the flags are read), not raw ones that break --log-format json; none where Node
 * would print none: NODE_NO_WARNINGS=1 and --no-warnings leave it no listener to replace (QA: both were
 * ignored, the experimental features' warnings printed whatever they said), and --disable-warning's.
 * Where Node was asked to write them its own way, Node's listener stays: --redirect-warnings (or
 * NODE_REDIRECT_WARNINGS) to a file, --trace-warnings or --trace-deprecation with the stack of each, which
 * a log line cannot hold (QA: deprecations: they went to stderr, without the stack).
 */
export function logNodeWarnings(current: () => Logger): void {
  if (process.listenerCount('warning') === 0 || writtenByNode()) return;
  process.removeAllListeners('warning');
  process.on('warning', (warning) => disabledWarning(warning) || current().warn(warning.message));
}

/** Whether Node's options ask it to write warnings to a file, or with the stack of each. */
function writtenByNode(): boolean {
  return warningsRedirected() || nodeOptionGiven('--trace-warnings') || nodeOptionGiven('--trace-deprecation');
}

/**
 * Whether Node writes warnings to a file (--redirect-warnings, NODE_REDIRECT_WARNINGS), which it appends
 * to asynchronously: the CLI's exit waits for those writes (src/cli/cliBundleEntry.ts).
 */
export function warningsRedirected(): boolean {
  return Boolean(nodeVariable('NODE_REDIRECT_WARNINGS')) || nodeOptionGiven('--redirect-warnings');
}

function nodeOptionGiven(name: string): boolean {
  return nodeOptionWords().some((word) => word === name || word.startsWith(`${name}=`));
}

/**
 * Whether Node's --disable-warning names this warning's type or code: Node's own listener, which
 * logNodeWarnings replaces, leaves those out, process.emitWarning does not (review: a hardened service's
 * --disable-warning=ExperimentalWarning, for --permission's, was ignored).
 */
function disabledWarning(warning: Error & { code?: unknown }): boolean {
  const words = nodeOptionWords();
  return words.some((word, at) => {
    const named = word.startsWith('--disable-warning=') ? word.slice('--disable-warning='.length) : word === '--disable-warning' ? words[at + 1] : undefined;
    return named !== undefined && (named === warning.name || named === warning.code);
  });
}

/** The words of Node's options: in NODE_OPTIONS and on Node's command line. */
function nodeOptionWords(): string[] {
  return [...process.execArgv, ...(nodeVariable('NODE_OPTIONS') ?? '').split(/\s+/)].map((word) => word.replace(/"/g, ''));
}

/**
 * A variable of Node's, as unset where it may not be read: Deno without --allow-env for it, whose Node
 * options these are not, and which then throws NotCapable (QA: a Deno run allowed only the variables the
 * command reads failed on NODE_REDIRECT_WARNINGS with a stack trace, before the command ran).
 */
function nodeVariable(name: string): string | undefined {
  try {
    return process.env[name];
  } catch {
    return undefined;
  }
}
