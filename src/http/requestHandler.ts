import type { SdkRequestHandler } from '../sdkRequestHandler.js';
import type { StopSignal } from './stopSignal.js';
import { MAX_RESPONSE_BYTES, type HttpResponse } from './httpResponseReader.js';
import { RETRYABLE_NETWORK_CODES, stoppedText, timedOutText } from './failureText.js';

/** Why no answer came through the handler, for the transport to throw as its TransportError (a class of its bundle's). */
export interface HandlerFailure {
  readonly failure: string;
  readonly retryable: boolean;
}

/**
 * Sends one request through the handler and reads its answer whole, within the attempt's time and until the
 * session closes; its failures worded as the helper's own client words them. The handler's agent decides
 * proxies and trusted CAs: HTTPS_PROXY and AWS_CA_BUNDLE are the helper's client's.
 */
export async function sendThroughHandler(
  handler: SdkRequestHandler,
  request: { readonly method: string; readonly url: URL; readonly headers: Readonly<Record<string, string>>; readonly body: string },
  options: { readonly timeoutMs: number; readonly statedTimeoutMs?: number | undefined; readonly signal?: StopSignal | undefined },
): Promise<HttpResponse | HandlerFailure> {
  const { url } = request;
  let phase = 'waiting for the response';
  const stopped = () => ({ failure: stoppedText(phase, options.signal!.reason), retryable: false });
  // Closed while this attempt was signed (a PIN, a TPM): not sent (review).
  if (options.signal?.reason !== undefined) return stopped();
  const controller = new AbortController();
  let timedOut = false;
  // The handler is asked to stop (abortSignal), and not waited for past that: one that does not honour the
  // signal (a wrapper that drops it) would hold the attempt up (review).
  let giveUp: () => void = () => {};
  const givenUp = new Promise<never>((_resolve, reject) => (giveUp = () => reject(new Error('given up'))));
  givenUp.catch(() => undefined);
  const abort = () => {
    controller.abort();
    giveUp();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    abort();
  }, options.timeoutMs);
  const unlisten = options.signal?.onStop(abort);
  try {
    const sent = handler.handle(
      {
        protocol: url.protocol,
        // As the SDK gives it: an IPv6 address in brackets, which NodeHttpHandler takes off and fetch needs (review).
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query: queryOf(url),
        method: request.method,
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
        body: request.body,
      },
      { abortSignal: controller.signal, requestTimeout: options.timeoutMs },
    );
    const { response } = await Promise.race([sent, givenUp]);
    phase = 'reading the response';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    const body = await Promise.race([bodyText(response.body), givenUp]);
    if (body === undefined) return { failure: `response larger than ${MAX_RESPONSE_BYTES} bytes`, retryable: false };
    return { status: response.statusCode, headers, body };
  } catch (error) {
    if (options.signal?.reason !== undefined) return stopped();
    if (timedOut) return { failure: `${timedOutText(options.statedTimeoutMs ?? options.timeoutMs, phase)} (through the requestHandler)`, retryable: true };
    // The handler's own words (its own timeout too), and whether a retry may help by the code (fetch puts it on the cause).
    const reason = error instanceof Error ? error.message || error.name : error === undefined || error === null ? '' : String(error);
    const code = codeOf(error) ?? codeOf(error instanceof Error ? error.cause : undefined) ?? '';
    const retryable = RETRYABLE_NETWORK_CODES.has(code) || (error instanceof Error && error.name === 'TimeoutError');
    return { failure: `${reason || code || 'network error'} (through the requestHandler)`, retryable };
  } finally {
    clearTimeout(timer);
    unlisten?.();
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The URL's query, decoded, a repeated key's values as an array (as the SDK's HttpRequest holds them). */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

/**
 * A response body as the handler gives it (a stream, or bytes), as text; undefined past MAX_RESPONSE_BYTES.
 * (Nothing is thrown here: what a bundle throws is the runtime's error classes, and this is said as a failure.)
 */
async function bodyText(body: unknown): Promise<string | undefined> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_RESPONSE_BYTES) return undefined;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}
