import type { Context } from '../context.js';
import { CreateSessionError } from '../errors.js';
import type { HttpResponse } from '../http/httpResponseReader.js';
import { sendHttpRequest, type TransportOptions } from '../http/httpTransport.js';
import { isRetryableServiceError, RetriesExhaustedError, withRetries, type RetryPolicy } from '../http/retry.js';
import { TransportError } from '../http/transportError.js';
import { usableCertificate } from '../keys/certificateChecks.js';
import type { Certificate } from '../keys/certificate.js';
import type { KeySource } from '../keys/keySource.js';
import { logsDebug, type Logger } from '../log/logger.js';
import { redactUrl } from '../log/redactUrl.js';
import { option } from '../optionNames.js';
import { canonicalQueryString } from '../sigv4x509/canonicalRequest.js';
import { signRequest } from '../sigv4x509/signRequest.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import { MalformedResponseError, parseCreateSessionResponse, redactResponseBody } from './parseCreateSessionResponse.js';
import { formatServiceError, readServiceError } from './serviceError.js';
import type { SessionConfig } from './sessionConfig.js';

export interface CreateSessionOptions {
  readonly transport: TransportOptions;
  readonly retry: RetryPolicy;
  readonly userAgent: string;
  /** The clock for X-Amz-Date and the validity check; tests inject one. */
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One attempt's failure, worded as the reference words it, and whether another attempt may help. */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const PREFIX = 'operation error RolesAnywhere: CreateSession, ';
/** How long an attempt may go unanswered before the helper says, once, what it is waiting for. */
const WAITING_NOTICE_MS = 4_000;

/**
 * Trades a signed request for temporary credentials: checks the certificate, signs each attempt afresh,
 * retries throttling, 5xx and network failures with jittered backoff, and turns every other outcome into
 * one line that says what went wrong.
 */
export async function createSession(
  config: SessionConfig,
  keySource: KeySource,
  options: CreateSessionOptions,
  context: Context,
): Promise<TemporaryCredentials> {
  const { logger } = context;
  const now = options.now ?? (() => new Date());
  const identity = await keySource.current();
  const certificate = usableCertificate(identity, keySource.description, now());

  const query = { profileArn: config.profileArn, roleArn: config.roleArn, trustAnchorArn: config.trustAnchorArn };
  const url = new URL(config.endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/sessions`;
  url.search = canonicalQueryString(query);
  const body = JSON.stringify({
    durationSeconds: config.durationSeconds,
    ...(config.roleSessionName ? { roleSessionName: config.roleSessionName } : {}),
  });

  // The reference's wording, with the scheme actually used.
  const responseError = `${url.protocol.slice(0, -1)} response error`;
  let toldWaiting = false;
  const attempt = async (n: number): Promise<TemporaryCredentials> => {
    const signed = await signRequest(
      { method: 'POST', path: url.pathname, query, headers: { 'Content-Type': 'application/json', Host: url.host }, body },
      { ...identity, certificate },
      { date: now(), region: config.signingRegion },
    );
    if (logsDebug(logger)) logRequest(logger, url, signed.headers, signed.canonicalRequest, signed.stringToSign, body);
    let response: HttpResponse;
    const waiting = setTimeout(() => {
      if (toldWaiting) return;
      toldWaiting = true;
      logger.info(`waiting for ${url.origin} to answer CreateSession (attempt ${n} of ${options.retry.maxAttempts})`);
    }, WAITING_NOTICE_MS).unref();
    try {
      response = await sendHttpRequest(
        { method: 'POST', url, headers: { ...signed.headers, 'User-Agent': options.userAgent }, body },
        options.transport,
        context,
      );
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      throw new AttemptFailure(`request send failed, Post "${redactUrl(url)}": ${error.message}`, error.retryable);
    } finally {
      clearTimeout(waiting);
    }
    if (logsDebug(logger)) logResponse(logger, response);
    if (response.status >= 200 && response.status < 300) return readCredentials(response, responseError);
    const details = readServiceError(response.headers, response.body);
    throw new AttemptFailure(
      `${responseError} StatusCode: ${response.status}, RequestID: ${details.requestId}, ${formatServiceError(details)}` +
        chainHint(details.message, identity.chain.length, certificate),
      isRetryableServiceError(response.status, details.code),
    );
  };

  try {
    return await withRetries(attempt, options.retry, {
      isRetryable: (error) => error instanceof AttemptFailure && error.retryable,
      onRetry: (error, n, delay) => logger.debug(`attempt ${n} failed (${(error as Error).message}); retrying in ${delay} ms`),
      sleep: options.sleep,
    });
  } catch (error) {
    if (error instanceof AttemptFailure) throw new CreateSessionError(`${PREFIX}${error.message}`);
    if (!(error instanceof RetriesExhaustedError)) throw error;
    const tries =
      error.attempts <= 1
        ? ''
        : error.reason === 'attempts'
          ? `exceeded maximum number of attempts, ${error.attempts}, `
          : `gave up after ${error.attempts} attempts in ${Math.round(error.elapsedMs / 1000)} s, `;
    throw new CreateSessionError(`${PREFIX}${tries}${error.message}`);
  }
}

/**
 * The service answers a certificate it cannot chain to the trust anchor with a bare "Untrusted Signing
 * Certificate" (the emulator adds the reason); when no chain was sent and the certificate is not
 * self-issued, a missing --intermediates is the usual cause.
 */
function chainHint(message: string, chainLength: number, certificate: Certificate): string {
  const unchained = message === 'Untrusted Signing Certificate' || message.includes('was not issued by the trust anchor');
  if (!unchained || chainLength > 0 || certificate.issuer.equals(certificate.subject)) return '';
  return ` (no intermediate certificates were sent: if an intermediate CA issued the certificate, give the chain with ${option('intermediates')})`;
}

function readCredentials(response: HttpResponse, responseError: string): TemporaryCredentials {
  try {
    return parseCreateSessionResponse(response.body);
  } catch (error) {
    if (!(error instanceof MalformedResponseError)) throw error;
    const requestId = response.headers['x-amzn-requestid'] ?? '';
    throw new CreateSessionError(
      `${PREFIX}${responseError} StatusCode: ${response.status}, RequestID: ${requestId}, ${error.message}`,
    );
  }
}

function logRequest(logger: Logger, url: URL, headers: Record<string, string>, canonicalRequest: string, stringToSign: string, body: string) {
  logger.debug(`CreateSession request: POST ${redactUrl(url)}`);
  for (const [name, value] of Object.entries(headers)) logger.debug(`  ${name}: ${value}`);
  logger.debug(`  body: ${body}`);
  logger.debug(`canonical request:\n${canonicalRequest}`);
  logger.debug(`string to sign:\n${stringToSign}`);
}

function logResponse(logger: Logger, response: HttpResponse) {
  logger.debug(`CreateSession response: HTTP ${response.status}, request id ${response.headers['x-amzn-requestid'] ?? '-'}`);
  logger.debug(`  body: ${redactResponseBody(response.body)}`);
}
