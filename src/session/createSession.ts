import type { RolesAnywhereCredentials } from '../credentials/credentials.js';
import { HelperError } from '../errors.js';
import { usableCertificate } from '../keys/certificateChecks.js';
import type { KeySource } from '../keys/keySource.js';
import { debug, isDebugEnabled } from '../log/logger.js';
import { canonicalQueryString } from '../sigv4x509/canonicalRequest.js';
import { signRequest } from '../sigv4x509/signRequest.js';
import type { HttpResponse } from './httpResponseReader.js';
import { sendHttpRequest, type TransportOptions } from './httpTransport.js';
import { MalformedResponseError, parseCreateSessionResponse, redactResponseBody } from './parseCreateSessionResponse.js';
import { backoffDelayMs, isRetryableServiceError, type RetryPolicy } from './retry.js';
import { formatServiceError, readServiceError } from './serviceError.js';
import type { SessionConfig } from './sessionConfig.js';
import { TransportError } from './transportError.js';

export interface CreateSessionOptions {
  readonly transport: TransportOptions;
  readonly retry: RetryPolicy;
  readonly userAgent: string;
  /** The clock for X-Amz-Date and the validity check; tests inject one. */
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** CreateSession failed: the message starts `operation error RolesAnywhere: CreateSession, ` as the reference's. */
export class CreateSessionError extends HelperError {}

const PREFIX = 'operation error RolesAnywhere: CreateSession, ';

/**
 * Trades a signed request for temporary credentials: checks the certificate, signs each attempt afresh,
 * retries throttling, 5xx and network failures with jittered backoff, and turns every other outcome into
 * one line that says what went wrong.
 */
export async function createSession(
  config: SessionConfig,
  keySource: KeySource,
  options: CreateSessionOptions,
): Promise<RolesAnywhereCredentials> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
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

  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const signed = await signRequest(
      { method: 'POST', path: url.pathname, query, headers: { 'Content-Type': 'application/json', Host: url.host }, body },
      { ...identity, certificate },
      { date: now(), region: config.signingRegion },
    );
    if (isDebugEnabled()) logRequest(url, signed.headers, signed.canonicalRequest, signed.stringToSign, body);

    let failure: { retryable: boolean; text: string };
    try {
      const response = await sendHttpRequest(
        { method: 'POST', url, headers: { ...signed.headers, 'User-Agent': options.userAgent }, body },
        options.transport,
      );
      logResponse(response);
      if (response.status >= 200 && response.status < 300) return readCredentials(response);
      const details = readServiceError(response.headers, response.body);
      failure = {
        retryable: isRetryableServiceError(response.status, details.code),
        text: `https response error StatusCode: ${response.status}, RequestID: ${details.requestId}, ${formatServiceError(details)}`,
      };
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      failure = { retryable: error.retryable, text: `request send failed, Post "${url.href}": ${error.message}` };
    }

    const delay = backoffDelayMs(options.retry, attempt);
    const outOfTime = Date.now() - started + delay >= options.retry.deadlineMs;
    if (!failure.retryable || attempt >= options.retry.maxAttempts || outOfTime) {
      let tries = '';
      if (failure.retryable && attempt >= options.retry.maxAttempts && attempt > 1) {
        tries = `exceeded maximum number of attempts, ${attempt}, `;
      } else if (failure.retryable && outOfTime && attempt > 1) {
        tries = `gave up after ${attempt} attempts in ${Math.round((Date.now() - started) / 1000)} s, `;
      }
      throw new CreateSessionError(`${PREFIX}${tries}${failure.text}`);
    }
    debug(`attempt ${attempt} failed (${failure.text}); retrying in ${delay} ms`);
    await sleep(delay);
  }
}

function readCredentials(response: HttpResponse): RolesAnywhereCredentials {
  try {
    return parseCreateSessionResponse(response.body);
  } catch (error) {
    if (!(error instanceof MalformedResponseError)) throw error;
    const requestId = response.headers['x-amzn-requestid'] ?? '';
    throw new CreateSessionError(
      `${PREFIX}https response error StatusCode: ${response.status}, RequestID: ${requestId}, ${error.message}`,
    );
  }
}

function logRequest(url: URL, headers: Record<string, string>, canonicalRequest: string, stringToSign: string, body: string) {
  debug(`CreateSession request: POST ${url.href}`);
  for (const [name, value] of Object.entries(headers)) debug(`  ${name}: ${value}`);
  debug(`  body: ${body}`);
  debug(`canonical request:\n${canonicalRequest}`);
  debug(`string to sign:\n${stringToSign}`);
}

function logResponse(response: HttpResponse) {
  debug(() => `CreateSession response: HTTP ${response.status}, request id ${response.headers['x-amzn-requestid'] ?? '-'}`);
  debug(() => `  body: ${redactResponseBody(response.body)}`);
}
