import type { Logger } from '../log/logger.js';

/**
 * Node's own warnings (NODE_TLS_REJECT_UNAUTHORIZED=0's) as lines of the CLI's logger (the one `current`
 * gives: it changes once the flags are read), not raw ones that break --log-format json; none where Node
 * would print none: NODE_NO_WARNINGS=1 and --no-warnings leave it no listener to replace (QA: both were
 * ignored, the experimental features' warnings printed whatever they said), and --disable-warning's.
 */
export function logNodeWarnings(current: () => Logger): void {
  const nodeWarns = process.listenerCount('warning') > 0;
  process.removeAllListeners('warning');
  if (nodeWarns) process.on('warning', (warning) => disabledWarning(warning) || current().warn(warning.message));
}

/**
 * Whether Node's --disable-warning (in NODE_OPTIONS or on Node's command line) names this warning's type or
 * code: Node's own listener, which logNodeWarnings replaces, leaves those out, process.emitWarning does not
 * (review: a hardened service's --disable-warning=ExperimentalWarning, for --permission's, was ignored).
 */
function disabledWarning(warning: Error & { code?: unknown }): boolean {
  const words = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map((word) => word.replace(/"/g, ''));
  return words.some((word, at) => {
    const named = word.startsWith('--disable-warning=') ? word.slice('--disable-warning='.length) : word === '--disable-warning' ? words[at + 1] : undefined;
    return named !== undefined && (named === warning.name || named === warning.code);
  });
}
