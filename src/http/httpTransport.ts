import { connect as connectTcp, isIP, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Context } from '../context.js';
import { CLOSED_WITHOUT_ANSWER, HttpResponseReader, MalformedHttpResponseError, MAX_RESPONSE_BYTES, type HttpResponse } from './httpResponseReader.js';
import { cutShort } from '../log/printable.js';
import { redactUrl } from '../log/redactUrl.js';
import { bareHostname } from './loopback.js';
import { proxyFor, type Proxy } from './proxy.js';
import { withoutSentSecrets } from './sentSecrets.js';
import type { SdkRequestHandler } from '../sdkRequestHandler.js';
import type { StopSignal } from './stopSignal.js';
import type { CaBundle } from './trustedCas.js';
import { describeNetworkError } from './networkError.js';
import { stoppedText, timedOutText } from './failureText.js';
import { TransportError } from './transportError.js';

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface TransportOptions {
  /** false turns verification off: the session's verifyTls option (--no-verify-ssl). */
  readonly verifyTls: boolean;
  /**
   * The PEM certificates that replace Node's trust anchors (AWS_CA_BUNDLE's: src/http/trustedCas.ts),
   * asked for when a TLS connection is made, or none.
   */
  readonly caBundle?: (() => CaBundle | undefined) | undefined;
  /** For one attempt: connecting, sending and reading the whole response. */
  readonly timeoutMs: number;
  /**
   * The attempt's whole timeout, which a timeout's message names where timeoutMs is only what is left of it
   * (a redirect's later hop: "timed out after 0 s" said nothing of the 10 s the attempt had).
   */
  readonly statedTimeoutMs?: number | undefined;
  /** Stopped by the sender's owner closing (a provider's close()): the attempt under way stops at once. */
  readonly signal?: StopSignal | undefined;
  /** The library's requestHandler option: requests go through it (its agent's proxy and CAs) instead. */
  readonly handler?: SdkRequestHandler | undefined;
}

/**
 * Sends one request and reads its response over a connection of its own, closed afterwards: TCP or TLS,
 * directly or through the proxy the environment names (a CONNECT tunnel for https, an absolute-form request
 * for http). A small HTTP/1.1 client rather than node:http, because credential-process sends one request
 * per run and node:http with its agent costs ~3 ms of every run (bench/credential-process.mjs). node:tls is
 * loaded only when TLS is used.
 */
export async function sendHttpRequest(request: HttpRequest, options: TransportOptions, context: Context): Promise<HttpResponse> {
  if (options.handler) {
    const answer = await (await import('./requestHandler.js')).sendThroughHandler(options.handler, request, options);
    if ('failure' in answer) throw new TransportError(answer.failure, answer.retryable);
    return withoutSentSecrets(answer, request.headers);
  }
  const proxy = proxyFor(request.url, context);
  const attempt = new Attempt(options.timeoutMs, options.statedTimeoutMs ?? options.timeoutMs, options.signal);
  try {
    const https = request.url.protocol === 'https:';
    let socket = proxy ? await atProxy(proxy, attempt, 'connecting to the proxy', () => attempt.open(proxy.url, options)) : await attempt.open(request.url, options);
    if (proxy && https) {
      await atProxy(proxy, attempt, 'waiting for the proxy to open a tunnel', async () => {
        const tunnel = await attempt.exchange(socket, connectRequest(request.url, proxy), { maxBodyBytes: 0, headOnly: true });
        if (tunnel.status < 200 || tunnel.status > 299) throw new TransportError(`${proxyRefusal(`a tunnel to ${authority(request.url)}`, proxy, tunnel.status)}${tunnel.status === 407 ? '' : squidError(tunnel)}`, tunnel.status >= 500);
      });
      socket = await attempt.open(request.url, options, socket);
    }
    attempt.phase = 'waiting for the response';
    const target = proxy && !https ? request.url.href : request.url.pathname + request.url.search;
    const authorization: Record<string, string> = proxy && !https && proxy.authorization ? { 'Proxy-Authorization': proxy.authorization } : {};
    const response = await attempt.exchange(socket, requestBytes(request, target, authorization), { maxBodyBytes: MAX_RESPONSE_BYTES }).catch((error: unknown) => {
      // OpenSSL's servers close a plain HTTP request without a byte (QA: Node's and s_server's, no alert).
      if (!https && !proxy && error instanceof TransportError && error.message === CLOSED_WITHOUT_ANSWER) {
        throw new TransportError(`${CLOSED_WITHOUT_ANSWER} (a TLS server closes a plain HTTP request so: https://, where http:// was given?)`, true);
      }
      throw error;
    });
    // The proxy's own answer, not the endpoint's (QA: reported as the service's).
    if (proxy && !https && response.status === 407) throw ofProxy(proxy, new TransportError(proxyRefusal(`the request to ${authority(request.url)}`, proxy, 407), false));
    if (proxy && !https && isProxysErrorPage(response)) {
      throw ofProxy(proxy, new TransportError(`it could not pass on the request to ${authority(request.url)}: HTTP ${response.status}${squidError(response)}`, true));
    }
    return withoutSentSecrets(response, { ...request.headers, ...authorization });
  } finally {
    attempt.finish();
  }
}

/**
 * A step with the proxy (connecting to it, asking it for a tunnel): a failure is the proxy's, and says so,
 * naming it and the variable that names it, where it would read as the endpoint's.
 */
async function atProxy<T>(proxy: Proxy, attempt: Attempt, phase: string, step: () => Promise<T>): Promise<T> {
  attempt.phase = phase;
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    throw ofProxy(proxy, error);
  }
}

/** A failure with the proxy, naming it and the variable that names it. */
function ofProxy(proxy: Proxy, error: TransportError): TransportError {
  return new TransportError(`the proxy ${redactUrl(proxy.url).replace(/\/$/, '')} that ${proxy.variable} names: ${error.message}`, error.retryable, error.unreachable);
}

/** One attempt's connection and its deadline, which aborts whatever step the attempt is at. */
class Attempt {
  phase = 'connecting';
  /** The connection's sockets: TCP, and TLS over it (or over a proxy's tunnel). */
  readonly #sockets: Socket[] = [];
  readonly #timer: NodeJS.Timeout;
  /** The name of the CAs given (caBundle) that TLS connections trust rather than Node's, for what a verification failure's message advises. */
  #caBundle: string | undefined;
  readonly #signal: StopSignal | undefined;
  readonly #unlisten: (() => void) | undefined;

  constructor(timeoutMs: number, statedTimeoutMs: number, signal: StopSignal | undefined) {
    this.#timer = setTimeout(() => {
      this.#sockets.at(-1)?.destroy(new TransportError(timedOutText(statedTimeoutMs, this.phase), true));
    }, timeoutMs);
    this.#signal = signal;
    this.#unlisten = signal?.onStop(() => this.#sockets.at(-1)?.destroy(stopped(signal, this.phase)));
  }

  /**
   * A TCP connection to the URL's host, with TLS for https (over `over`, a proxy tunnel, when given). The
   * phase a timeout names follows it: the host name's lookup, the connection, the TLS handshake (QA: all
   * were "connecting").
   */
  async open(url: URL, options: TransportOptions, over?: Socket): Promise<Socket> {
    const host = bareHostname(url.hostname);
    const port = portOf(url);
    const ip = isIP(host) !== 0;
    const connecting = this.phase;
    const lookedUp = (socket: Socket) => {
      if (over || ip) return socket;
      this.phase = `looking up ${host}`;
      return socket.once('lookup', () => (this.phase = connecting));
    };
    if (url.protocol !== 'https:') return this.#connected(lookedUp(connectTcp({ host, port })), 'connect');
    const bundle = options.caBundle?.();
    this.#caBundle = bundle?.name;
    const ca = bundle?.pem;
    const tlsOptions: ConnectionOptions = {
      host,
      port,
      ...(over ? { socket: over } : {}),
      ...(ip ? {} : { servername: host }),
      rejectUnauthorized: options.verifyTls,
      ...(ca ? { ca } : {}),
    };
    const socket = lookedUp((await import('node:tls')).connect(tlsOptions));
    if (over) this.phase = 'in the TLS handshake';
    else socket.once('connect', () => (this.phase = 'in the TLS handshake'));
    return this.#connected(socket, 'secureConnect');
  }

  #connected(socket: Socket, ready: 'connect' | 'secureConnect'): Promise<Socket> {
    this.#sockets.push(socket);
    if (this.#signal?.reason !== undefined) socket.destroy(stopped(this.#signal, this.phase));
    return new Promise((resolve, reject) => {
      socket.once(ready, () => {
        socket.off('error', onError);
        resolve(socket);
      });
      const onError = (error: NodeJS.ErrnoException) => {
        // A reset or close in the handshake (a firewall refusing the server name, a server that is not TLS
        // and closes) is the handshake's failure, said as such (QA: Node's raw "read ECONNRESET").
        const ended = ready === 'secureConnect' && this.phase === 'in the TLS handshake' && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        reject(ended ? new TransportError(`TLS handshake failed: the server ${error.message.includes('disconnected') ? 'closed' : 'reset'} the connection`, true) : describeNetworkError(error, this.#caBundle));
      };
      socket.once('error', onError);
    });
  }

  /** Writes the request and reads the response to it. */
  exchange(socket: Socket, bytes: Buffer, reading: ConstructorParameters<typeof HttpResponseReader>[0]): Promise<HttpResponse> {
    const reader = new HttpResponseReader(reading);
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => HttpResponse) => {
        socket.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
        try {
          resolve(outcome());
        } catch (error) {
          reject(error instanceof MalformedHttpResponseError ? new TransportError(error.message, error.truncated) : error);
        }
      };
      let answered = false;
      const onData = (chunk: Buffer) => {
        answered = true;
        this.phase = 'reading the response';
        try {
          const response = reader.push(chunk);
          if (response) settle(() => response);
        } catch (error) {
          settle(() => {
            throw error;
          });
        }
      };
      const onEnd = () => settle(() => reader.end());
      const onError = (error: NodeJS.ErrnoException) => settle(() => {
        // A reset (a middlebox cutting the stream, a server that crashed) said as a close is, with how far the
        // answer got (QA: "read ECONNRESET" alone).
        if (error.code === 'ECONNRESET') {
          throw new TransportError(`the connection was reset ${answered ? 'before the whole response arrived' : 'without an answer'} (${error.message})`, true);
        }
        throw describeNetworkError(error, this.#caBundle);
      });
      const onClose = () => settle(() => reader.end());
      socket.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
      socket.write(bytes);
    });
  }

  /**
   * Closes the connection on the next turn of the event loop. Destroying a net.Socket makes Node build
   * process.stderr (net's Socket._destroy compares itself with it), ~0.5 ms that credential-process, which
   * writes its output with write(2) and exits in this turn, then never spends.
   */
  finish(): void {
    clearTimeout(this.#timer);
    this.#unlisten?.();
    const sockets = this.#sockets;
    setImmediate(() => {
      for (const socket of sockets) socket.destroy();
    });
  }
}

/** The failure of an attempt its sender's owner stopped. */
function stopped(signal: StopSignal, phase: string): TransportError {
  return new TransportError(stoppedText(phase, signal.reason), false);
}

function requestBytes(request: HttpRequest, target: string, extra: Record<string, string>): Buffer {
  const body = Buffer.from(request.body, 'utf8');
  const headers = { ...request.headers, ...extra, 'Content-Length': String(body.length), Connection: 'close' };
  return Buffer.concat([Buffer.from(head(`${request.method} ${target} HTTP/1.1`, headers), 'latin1'), body]);
}

function connectRequest(url: URL, proxy: Proxy): Buffer {
  const target = authority(url);
  const headers = { Host: target, ...(proxy.authorization ? { 'Proxy-Authorization': proxy.authorization } : {}) };
  return Buffer.from(head(`CONNECT ${target} HTTP/1.1`, headers), 'latin1');
}

function head(requestLine: string, headers: Readonly<Record<string, string>>): string {
  let text = `${requestLine}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (hasLineBreak(name) || hasLineBreak(value)) throw new TransportError(`the ${name} header holds a line break`, false);
    text += `${name}: ${value}\r\n`;
  }
  return `${text}\r\n`;
}

/** (Not a regular expression: each costs ~0.1 ms to compile on every run.) */
function hasLineBreak(text: string): boolean {
  return text.includes('\r') || text.includes('\n');
}

/** Why the proxy did not pass on `what` (a tunnel, a request): its status, and for 407 (Proxy Authentication Required) what to give it. */
function proxyRefusal(what: string, proxy: Proxy, status: number): string {
  const advice = status !== 407 ? '' : proxy.authorization
    ? ' (Proxy Authentication Required: it refused the user and password given)'
    : ` (Proxy Authentication Required: give them as ${proxy.url.protocol}//user:password@host:port in ${proxy.variable}, percent-encoded)`;
  return `it refused ${what}: HTTP ${status}${advice}`;
}

/** What squid says of its own refusal or failure (`ERR_ACCESS_DENIED 0`, `ERR_CONNECT_FAIL 113`), for the message (QA: a bare "HTTP 403"). */
function squidError({ headers }: HttpResponse): string {
  return headers['x-squid-error'] ? ` (X-Squid-Error: ${cutShort(headers['x-squid-error'], 80)})` : '';
}

/**
 * A proxy's own page for a plain http request it could not pass on (squid's 503, tinyproxy's 500 "Unable to
 * connect"): a 5xx that is not JSON and has no AWS request id, as every AWS service's answer has (QA: squid's
 * HTML quoted as the service's answer, the proxy unnamed).
 */
function isProxysErrorPage({ status, headers }: HttpResponse): boolean {
  return status >= 500 && !headers['x-amzn-requestid'] && !/json/i.test(headers['content-type'] ?? '');
}

/** host:port, the port always given (the form CONNECT needs). */
function authority(url: URL): string {
  return `${url.hostname}:${portOf(url)}`;
}

function portOf(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
}
