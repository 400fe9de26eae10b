import type { Context } from '../context.js';
import { CreateSessionError } from '../errors.js';
import type { HttpResponse } from '../http/httpResponseReader.js';
import { callOperation, type OperationOptions } from '../http/operationCall.js';
import { usableCertificate } from '../keys/certificateChecks.js';
import type { Certificate } from '../keys/certificate.js';
import type { KeySource } from '../keys/keySource.js';
import { logsDebug, type Logger } from '../log/logger.js';
import { redactUrl } from '../log/redactUrl.js';
import { option } from '../optionNames.js';
import { MAX_CHAIN_HEADER_CERTIFICATES } from '../rolesAnywhereRules/chainDepth.js';
import { canonicalQueryString } from '../sigv4x509/canonicalRequest.js';
import { signRequest } from '../sigv4x509/signRequest.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import { certificateTimeHint } from './certificateTimeHint.js';
import { parseCreateSessionResponse, redactResponseBody } from './parseCreateSessionResponse.js';
import { formatServiceError, readServiceError } from './serviceError.js';
import type { SessionConfig } from './sessionConfig.js';

export interface CreateSessionOptions extends OperationOptions {
  readonly userAgent: string;
}

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
  const now = () => new Date();
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

  return callOperation(
    {
      service: 'RolesAnywhere',
      action: 'CreateSession',
      url,
      request: async () => {
        const signed = await signRequest(
          { method: 'POST', path: url.pathname, query, headers: { 'Content-Type': 'application/json', Host: url.host }, body },
          { ...identity, certificate },
          { date: now(), region: config.signingRegion },
        );
        if (logsDebug(logger)) logRequest(logger, url, signed.headers, signed.canonicalRequest, signed.stringToSign, body);
        return { method: 'POST', url, headers: { ...signed.headers, 'User-Agent': options.userAgent }, body };
      },
      read: (response) => parseCreateSessionResponse(response.body, response.headers),
      refusal: (response) => {
        const details = readServiceError(response.headers, response.body, 'Roles Anywhere');
        // A 403 may be this Region's alone: another Region's trust anchor or profile may differ.
        const tryNextLink = response.status === 403;
        // That the certificate is early or late, by this clock or the service's, is known; that intermediates are missing is a guess (review).
        const hint =
          certificateTimeHint(response.status, details.message, certificate, now(), response.headers) || chainHint(response.status, details.message, identity.chain, certificate, identity.unsentCertificates);
        return { ...details, text: formatServiceError(details) + hint, tryNextLink };
      },
      onResponse: (response) => {
        if (logsDebug(logger)) logResponse(logger, response);
      },
      error: (message, tryNextLink, answer) => new CreateSessionError(message, { tryNextLink, answer }),
    },
    options,
    context,
  );
}

/**
 * What the chain sent may have to do with a refusal. The service answers a certificate it cannot chain to
 * the trust anchor with a bare "Untrusted Signing Certificate" (the emulator adds the reason); when no
 * chain was sent and the certificate is not self-issued, a missing --intermediates is the usual cause.
 */
function chainHint(status: number, message: string, chain: readonly Certificate[], certificate: Certificate, unsentCertificates = () => 0): string {
  const chainLength = chain.length;
  // The endpoint's server refused headers that large before its checks could say the chain is too long (QA:
  // the system's CA bundle given as --intermediates met "431 … UnknownError: the answer is empty").
  if (status === 431 && chainLength > MAX_CHAIN_HEADER_CERTIFICATES) {
    return (
      ` (the request's headers were too large: its X-Amz-X509-Chain holds ${chainLength} certificates, where Roles Anywhere takes at most ` +
      `${MAX_CHAIN_HEADER_CERTIFICATES}: give ${option('intermediates')} only the CAs between the certificate and the trust anchor)`
    );
  }
  // Or a certificate with many names, or large CAs (QA: a certificate of 400 DNS names, 12.8 KB, met a bare 431).
  if (status === 431) {
    const bytes = [certificate, ...chain].reduce((sum, c) => sum + Math.ceil(c.der.length / 3) * 4, 0);
    const what = chainLength ? 'the certificate and its chain take' : 'the certificate takes';
    return ` (the request's headers were too large for the endpoint: ${what} ${bytes} bytes of them, in base64)`;
  }
  const unchained = message === 'Untrusted Signing Certificate' || message.includes('was not issued by the trust anchor');
  if (!unchained || chainLength > 0 || certificate.issuer.equals(certificate.subject)) return '';
  // cert-manager's tls.crt and SPIRE's svid.0.pem hold the chain after the certificate (QA).
  const unsent = unsentCertificates();
  if (unsent > 0) {
    return (
      ` (no intermediate certificates were sent: the certificate file holds ${unsent} more certificate${unsent === 1 ? '' : 's'} after the first, ` +
      `which ${option('certificate')} does not send: give the file as ${option('intermediates')} too)`
    );
  }
  return ` (no intermediate certificates were sent: if an intermediate CA issued the certificate, give the chain with ${option('intermediates')})`;
}

function logRequest(logger: Logger, url: URL, headers: Record<string, string>, canonicalRequest: string, stringToSign: string, body: string) {
  logger.debug(`CreateSession request: POST ${redactUrl(url)}`);
  for (const [name, value] of Object.entries(headers)) logger.debug(`  ${name}: ${name.toLowerCase() === 'authorization' ? withoutSignature(value) : value}`);
  logger.debug(`  body: ${body}`);
  logger.debug(`canonical request:\n${canonicalRequest}`);
  logger.debug(`string to sign:\n${stringToSign}`);
}

/**
 * The Authorization header without its signature: with it, whoever reads the log could send the request
 * again, and get credentials, until the signature's date is 15 minutes old. The rest (algorithm, credential
 * scope, signed headers) is what tells why a signature was refused.
 */
function withoutSignature(authorization: string): string {
  return authorization.replace(/Signature=[^,\s]*/, 'Signature=<redacted>');
}

function logResponse(logger: Logger, response: HttpResponse) {
  logger.debug(`CreateSession response: HTTP ${response.status}, request id ${response.headers['x-amzn-requestid'] ?? '-'}`);
  if (response.headers['content-type']) logger.debug(`  content-type: ${response.headers['content-type']}`);
  if (response.headers.location) logger.debug(`  location: ${redactUrl(response.headers.location)}`);
  logger.debug(`  body: ${redactResponseBody(response.body)}`);
}
