import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { proxyAgentFor } from './proxy.js';

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface TransportOptions {
  /** false only with --no-verify-ssl. */
  readonly verifyTls: boolean;
  /** PEM certificates that replace the system's trust anchors (AWS_CA_BUNDLE). */
  readonly caBundle?: Buffer | undefined;
  /** For one attempt: connecting, sending and reading the whole response. */
  readonly timeoutMs: number;
}

/** A request that got no HTTP response; `retryable` when trying again may help. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const MAX_RESPONSE_BYTES = 1024 * 1024;
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Sends one request over node:http(s), through a proxy when the environment names one for its host. */
export async function sendHttpRequest(request: HttpRequest, options: TransportOptions): Promise<HttpResponse> {
  const https = request.url.protocol === 'https:';
  // node:https (and TLS with it) is loaded only for https endpoints.
  const send = https ? (await import('node:https')).request : httpRequest;
  const agent: Agent | false = (await proxyAgentFor(request.url)) ?? false;
  return new Promise((resolve, reject) => {
    let phase = 'connecting';
    const req = send(request.url, {
      method: request.method,
      headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
      agent,
      rejectUnauthorized: options.verifyTls,
      ...(options.caBundle ? { ca: options.caBundle } : {}),
    });
    const timer = setTimeout(() => {
      req.destroy(new TransportError(`timed out after ${options.timeoutMs / 1000} s ${phase}`, true));
    }, options.timeoutMs);
    req.on('socket', (socket) => {
      socket.once(https ? 'secureConnect' : 'connect', () => (phase = 'waiting for the response'));
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof TransportError ? error : describeNetworkError(error));
    });
    req.on('response', (response) => {
      phase = 'reading the response';
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(new TransportError(`response larger than ${MAX_RESPONSE_BYTES} bytes`, false));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', () => {}); // reported through req's 'error'
    });
    req.end(request.body);
  });
}

function describeNetworkError(error: NodeJS.ErrnoException): TransportError {
  const code = error.code ?? '';
  if (code === 'ENOTFOUND') return new TransportError(`no such host (${error.message})`, false);
  if (isTlsVerificationError(code)) {
    return new TransportError(
      `TLS certificate verification failed: ${error.message} (set AWS_CA_BUNDLE to trust a private CA)`,
      false,
    );
  }
  return new TransportError(error.message || code || 'network error', RETRYABLE_CODES.has(code) || /socket hang up/.test(error.message));
}

function isTlsVerificationError(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_CERT') ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO/.test(code)
  );
}
