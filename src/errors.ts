import { permissionDenied } from './permissionDenied.js';
import { missingDependency } from './missingDependency.js';
import { libraryNaming, nameOptions } from './optionNames.js';

/**
 * An error meant for the user: its message is one line that names the input and the reason,
 * e.g. `unable to parse private key /x/key.pem: wrong password for encrypted PKCS#8 key`.
 * Anything else reaching the top level is reported as a bug, but for what report() in src/cli/main.ts knows
 * is none: a prompt's Ctrl-C, stdout's reader gone, the machine's limits, a disk's failure, an install's problem.
 *
 * Options in the text are placeholders (src/optionNames.ts): `message` names them as the library does;
 * `text` keeps them, for a caller that names them its own way (the CLI's logger: by flag). The bundles the
 * CLI is shipped as share one copy of this module (src/runtime.ts), so `instanceof` works across them.
 */
export class HelperError extends Error {
  constructor(
    readonly text: string,
    options?: { cause?: unknown },
  ) {
    super(nameOptions(text, libraryNaming), options);
  }
}

/**
 * Ctrl-C or Ctrl-\ typed at a prompt, or the program that ran the helper gone while it asks (as a hang-up):
 * the CLI ends quietly with the exit status of that signal (130, 131, 129), rather than report a failure.
 * Not a HelperError: what passes a prompt's failure on (a key source's 'unable to ask for it') lets it
 * through as it is.
 */
export class InterruptedError extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    readonly exitCode: number,
  ) {
    super(`interrupted (${signal})`);
  }

  /**
   * For a prompt of a command already running (serve's or update's refresh): the command stops as that
   * signal from the terminal stops it, rather than log a failed refresh and ask again at the retry.
   */
  raise(): void {
    process.kill(process.pid, this.signal);
  }
}

/** A command-line usage error: unknown flag, bad flag value, conflicting flags. */
export class UsageError extends HelperError {}

/**
 * A request to an AWS service was sent and failed. `tryNextLink` says whether another Region may do better
 * (its endpoint unreachable, overloaded, or refusing with a 403: the other Region's trust anchor may
 * differ), as the AWS SDK's credential chains say it; a mistake of the caller's is never tried elsewhere.
 */
export class ServiceCallError extends HelperError {
  readonly tryNextLink: boolean;
  /** As the AWS SDK's exceptions have them, when the service answered: its HTTP status and request ID. */
  readonly $metadata?: { readonly httpStatusCode: number; readonly requestId: string };
  readonly $fault?: 'client' | 'server';
  /** The service's error code (`AccessDeniedException`), when it gave one. */
  readonly code?: string;

  constructor(text: string, options?: { cause?: unknown; tryNextLink?: boolean; answer?: ServiceAnswer | undefined }) {
    super(text, options);
    this.tryNextLink = options?.tryNextLink ?? false;
    const answer = options?.answer;
    if (answer) {
      this.$metadata = { httpStatusCode: answer.statusCode, requestId: answer.requestId };
      // A 2xx answer that failed held no result: the service's fault, as a 5xx is.
      this.$fault = answer.statusCode >= 500 || answer.statusCode < 300 ? 'server' : 'client';
      // The code as the SDK's exceptions hold it too, in `name` (`error.name === 'AccessDeniedException'`).
      if (answer.code) {
        this.code = answer.code;
        this.name = answer.code;
      }
    }
  }
}

/** What a service answered to a call that failed: for a caller's program to tell a refusal from an outage. */
export interface ServiceAnswer {
  readonly statusCode: number;
  readonly requestId: string;
  readonly code: string;
}

/** CreateSession was sent and failed: the message starts `operation error RolesAnywhere: CreateSession, ` as the reference's. */
export class CreateSessionError extends ServiceCallError {}

/** STS AssumeRole (role chaining) was sent and failed: the message names the role and says what STS said. */
export class AssumeRoleError extends ServiceCallError {}

/**
 * A call stopped as its session closed (http/stopSignal.ts): no failure of the service's (no cache records
 * it, nor keeps the last good credentials for it), nor one to retry or to try another Region after.
 */
export class OperationStoppedError extends HelperError {}

/**
 * The text of any thrown value, for wrapping into another HelperError's message (a HelperError's with its
 * option placeholders, for the outer error to name).
 */
export function reasonOf(error: unknown): string {
  if (error instanceof HelperError) return error.text;
  if (error instanceof Error) return installProblem(error) ?? error.message;
  return String(error);
}

/**
 * One line for a part of the helper this process could not load as installed: another build's, beside the
 * parts it loaded before (each bundle checks as it loads, scripts/build.mjs), one missing (the build
 * installed under the process has it no more, or an install left unfinished), or a dependency of the
 * package not found from it (missingDependency.ts); undefined for any other error. None is a bug (QA: an
 * upgrade under serve or a library's service, 'internal error: Cannot find module' and its require stack).
 * Also what Node's permission model (--permission), or Deno's, refused the process, met where no file error is
 * expected (a folder looked for, a program run): how Node is run, no bug either.
 */
export function installProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  // A module of a dependency outside the folders allowed (hoisted into an app's node_modules), say.
  if ((error as { code?: unknown }).code === 'ERR_ACCESS_DENIED') return permissionDenied(error);
  // Deno run without a permission (--allow-env=HOME, say): its message names the flag (QA: "internal error").
  if (error.name === 'NotCapable') return error.message;
  const dependency = missingDependency(error);
  if (dependency) return dependency;
  if (error.message.includes(' mixes two builds (')) return error.message;
  const { code, requireStack } = error as Error & { code?: unknown; requireStack?: unknown };
  const missing = code === 'MODULE_NOT_FOUND' ? /^Cannot find module '(.*[\\/])?([\w.]+\.cjs)'/.exec(error.message) : null;
  const from = Array.isArray(requireStack) && typeof requireStack[0] === 'string' ? requireStack[0] : undefined;
  if (!missing?.[1] || !from) return undefined;
  // A bundle's require names its neighbour ./x.cjs; the bin's names the path.
  const folder = missing[1] === './' ? from.replace(/[\\/][^\\/]*$/, '') : missing[1].slice(0, -1);
  if (!/[\\/]dist$/.test(folder)) return undefined;
  return `roles-anywhere-helper in ${folder} is missing ${missing[2]} (upgraded under this process?): restart it, or install again`;
}
