// The logger every layer below the CLI takes from its caller. The library's default logs nothing; the CLI
// passes one that writes the reference's log lines (src/cli/cliLogger.ts). Nothing secret may be passed to a
// logger: callers log names, paths, statuses and redacted bodies, never key material, passwords, PINs, secret
// keys or session tokens.
/** The AWS SDK for JavaScript v3's `Logger` shape: the one your SDK clients use, or `console`. Never given secrets. */
export interface Logger {
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

/** @internal The level method of a logger that does not log at that level. */
export const ignoreLog = (): void => {};

/** @internal Logs nothing. */
export const silentLogger: Logger = { debug: ignoreLog, info: ignoreLog, warn: ignoreLog, error: ignoreLog };

/**
 * Whether debug lines would go anywhere: when they cost something to build (the canonical request, a
 * response body), they are built only then. A logger of the caller's is taken to log them.
 * @internal
 */
export function logsDebug(logger: Logger): boolean {
  return logger.debug !== ignoreLog;
}

/** @internal A debug line built only when it would be logged. */
export function debugLazily(logger: Logger, message: () => string): void {
  if (logsDebug(logger)) logger.debug(message());
}
