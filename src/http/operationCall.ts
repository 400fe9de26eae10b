import type { Context } from '../context.js';
import { clockSkewHint } from './clockSkewHint.js';
import { OperationStoppedError, type ServiceAnswer } from '../errors.js';
import { printableLine } from '../log/printable.js';
import { redactUrl } from '../log/redactUrl.js';
import type { HttpResponse } from './httpResponseReader.js';
import type { HttpRequest, TransportOptions } from './httpTransport.js';
import { withLambdaTraceHeader } from './lambdaTraceHeader.js';
import { sendFollowingRedirects, type RedirectedResponse } from './redirect.js';
import { isRetryableServiceError, RetriesExhaustedError, WAITING_NOTICE_MS, withRetries, type RetryPolicy } from './retry.js';
import type { StopSignal } from './stopSignal.js';
import { TransportError } from './transportError.js';

/** Why a 2xx answer could not be read as the operation's result. */
export class MalformedResponseError extends Error {}

export interface OperationOptions {
  readonly transport: TransportOptions;
  readonly retry: RetryPolicy;
  /**
   * When (epoch ms) to have given up: each attempt's timeout and the retries shrink to fit, so that a
   * Region fallback can keep one bound over every Region it tries.
   */
  readonly deadline?: number | undefined;
}

/** What the service said when it refused: its error code (for retrying), request ID, and the clause to report. */
export interface ServiceRefusal {
  readonly code: string;
  /** The service's own message, as `text` holds it (for what every operation adds: clockSkewHint). */
  readonly message: string;
  readonly requestId: string;
  readonly text: string;
  /** Whether another Region may answer otherwise (as it may when overloaded or throttling, whatever this says). */
  readonly tryNextLink: boolean;
}

/** One AWS API operation over HTTP: how to make each attempt's request and read its answer. */
export interface Operation<T> {
  /** As the Go SDK names it in its errors (`operation error RolesAnywhere: CreateSession, …`). */
  readonly service: string;
  readonly action: string;
  readonly url: URL;
  /** Each attempt's request, signed afresh. */
  readonly request: () => Promise<HttpRequest>;
  /** The result of a 2xx answer; a MalformedResponseError when it holds none. */
  readonly read: (response: HttpResponse) => T;
  readonly refusal: (response: HttpResponse) => ServiceRefusal;
  /** Told of every answer (for --debug). */
  readonly onResponse?: (response: HttpResponse) => void;
  /**
   * The error to throw, given its one-line message (control characters written out), whether another Region
   * may do better, and what the service answered, if it did.
   */
  readonly error: (message: string, tryNextLink: boolean, answer: ServiceAnswer | undefined) => Error;
}

/** One attempt's failure, worded as the Go SDK words it, whether another attempt may help, and another Region. */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly tryNextLink: boolean,
    readonly answer?: ServiceAnswer,
  ) {
    super(message);
  }
}

/** The least time an attempt is given when a deadline is near. */
const MIN_ATTEMPT_MS = 100;
/** No retry is started with less than this left before the deadline: too little for an answer to come. */
const MIN_RETRY_MS = 1_000;

/**
 * Calls the operation: retries throttling, 5xx and network failures with jittered backoff (within the
 * deadline given, else the retry policy's from now, not counting the time spent signing), and turns every other outcome into one line that says what went wrong, in the Go
 * SDK's words (`operation error STS: AssumeRole, https response error StatusCode: 403, RequestID: …, …`).
 */
export async function callOperation<T>(operation: Operation<T>, options: OperationOptions, context: Context): Promise<T> {
  const { logger } = context;
  const { url } = operation;
  const prefix = `operation error ${operation.service}: ${operation.action}, `;
  // The reference's wording, with the scheme actually used.
  const responseError = `${url.protocol.slice(0, -1)} response error`;
  const started = Date.now();
  // The retry policy's bound holds for the attempts too: a hanging endpoint ends the call by it. Signing
  // does not count: it may wait for a PIN or password typed, a touch, another run's turn on the TPM.
  const deadline = options.deadline ?? started + options.retry.deadlineMs;
  let signingMs = 0;
  const left = () => deadline + signingMs - Date.now();
  let toldWaiting = false;
  // One line, its control characters written out: it carries the server's words, which a library caller
  // may print to a terminal.
  const failure = (message: string, tryNextLink: boolean, answer?: ServiceAnswer) => operation.error(printableLine(message), tryNextLink, answer);

  const { signal } = options.transport;
  const attempt = async (n: number): Promise<T> => {
    // Closed while waiting to retry: no more attempts.
    if (signal?.reason !== undefined) throw new OperationStoppedError(`${prefix}stopped before attempt ${n}: ${signal.reason}`);
    const signingStarted = Date.now();
    const request = withLambdaTraceHeader(await operation.request(), context.env);
    signingMs += Date.now() - signingStarted;
    const timeoutMs = Math.min(options.transport.timeoutMs, Math.max(MIN_ATTEMPT_MS, Math.floor(left() / 100) * 100));
    let response: RedirectedResponse;
    const waiting = setTimeout(() => {
      if (toldWaiting) return;
      toldWaiting = true;
      logger.info(`waiting for ${url.origin} to answer ${operation.action} (attempt ${n} of ${options.retry.maxAttempts})`);
    }, WAITING_NOTICE_MS).unref();
    try {
      response = await sendFollowingRedirects(request, { ...options.transport, timeoutMs }, context);
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const sendFailed = `request send failed, Post "${redactUrl(url)}": ${error.message}`;
      if (signal?.reason !== undefined) throw new OperationStoppedError(`${prefix}${sendFailed}`);
      throw new AttemptFailure(sendFailed, error.retryable, error.unreachable);
    } finally {
      clearTimeout(waiting);
    }
    operation.onResponse?.(response);
    if (response.status >= 200 && response.status < 300) {
      try {
        return operation.read(response);
      } catch (error) {
        if (!(error instanceof MalformedResponseError)) throw error;
        const requestId = response.headers['x-amzn-requestid'] ?? '';
        throw failure(`${prefix}${responseError} StatusCode: ${response.status}, RequestID: ${requestId}, ${error.message}`, false, {
          statusCode: response.status,
          requestId,
          code: '',
        });
      }
    }
    const refusal = operation.refusal(response);
    const retryable = isRetryableServiceError(response.status, refusal.code);
    throw new AttemptFailure(
      `${responseError} StatusCode: ${response.status}, RequestID: ${refusal.requestId}, ${refusal.text}${clockSkewHint(response.headers, refusal.message)}${redirectHint(response, url)}`,
      retryable,
      retryable || refusal.tryNextLink,
      { statusCode: response.status, requestId: refusal.requestId, code: refusal.code },
    );
  };

  try {
    const policy = { ...options.retry, deadlineMs: Math.min(options.retry.deadlineMs, deadline - started - MIN_RETRY_MS) };
    return await withRetries(attempt, policy, {
      isRetryable: (error) => error instanceof AttemptFailure && error.retryable,
      onRetry: (error, n, delay) => logger.debug(`attempt ${n} failed (${(error as Error).message}); retrying in ${delay} ms`),
      sleep: signal && ((ms) => sleepUnless(signal, ms)),
      elapsedMs: () => Date.now() - started - signingMs,
    });
  } catch (error) {
    if (error instanceof AttemptFailure) throw failure(`${prefix}${error.message}`, error.tryNextLink, error.answer);
    if (!(error instanceof RetriesExhaustedError)) throw error;
    const last = error.lastError as AttemptFailure;
    const tries =
      error.attempts <= 1
        ? ''
        : error.reason === 'attempts'
          ? `exceeded maximum number of attempts, ${error.attempts}, `
          : `gave up after ${error.attempts} attempts in ${Math.round(error.elapsedMs / 1000)} s, `;
    throw failure(`${prefix}${tries}${error.message}`, last.tryNextLink, last.answer);
  }
}

/** Waits `ms`, or less if the signal stops meanwhile (its timer then cleared, so that a process can exit). */
function sleepUnless(signal: StopSignal, ms: number): Promise<void> {
  if (signal.reason !== undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unlisten();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unlisten = signal.onStop(done);
  });
}

/**
 * A refusal (400, 401, 403) after a redirect that left the URL signed for (see RedirectedResponse): the
 * signature covers its host, path and query, and Authorization goes to no other host, so the service there
 * refuses it (QA: the redirect went unsaid). An outage there (5xx) is not blamed on it (review).
 */
function redirectHint(response: RedirectedResponse, url: URL): string {
  const redirected = response.redirected;
  if (!redirected || ![400, 401, 403].includes(response.status)) return '';
  const to = redirected.url;
  const query = to.search !== url.search ? ' with another query' : '';
  return ` (after a ${redirected.status} redirect to ${to.origin}${to.pathname}${query}: the signature holds only for ${url.host}${url.pathname} and its query)`;
}
