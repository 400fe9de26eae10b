import type { SdkRequestHandler } from '../sdkRequestHandler.js';
import type { StopSignal } from './stopSignal.js';
import { MAX_RESPONSE_BYTES, type HttpResponse } from './httpResponseReader.js';
import { bareHostname } from './proxy.js';
import { RETRYABLE_NETWORK_CODES } from './transportError.js';

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
  options: { readonly timeoutMs: number; readonly signal?: StopSignal | undefined },
): Promise<HttpResponse | HandlerFailure> {
  const { url } = request;
  const controller = new AbortController();
  let phase = 'waiting for the response';
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const unlisten = options.signal?.onStop(() => controller.abort());
  try {
    const { response } = await handler.handle(
      {
        protocol: url.protocol,
        hostname: bareHostname(url.hostname),
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        method: request.method,
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
        body: request.body,
      },
      { abortSignal: controller.signal, requestTimeout: options.timeoutMs },
    );
    phase = 'reading the response';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    return { status: response.statusCode, headers, body: await bodyText(response.body) };
  } catch (error) {
    if (options.signal?.reason !== undefined) return { failure: `stopped ${phase}: ${options.signal.reason}`, retryable: false };
    if (controller.signal.aborted || (error as Error).name === 'TimeoutError') {
      return { failure: `timed out after ${Math.round(options.timeoutMs / 100) / 10} s ${phase} (through the requestHandler)`, retryable: true };
    }
    if (error instanceof TooLarge) return { failure: error.message, retryable: false };
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return { failure: `${(error as Error).message || code || 'network error'} (through the requestHandler)`, retryable: RETRYABLE_NETWORK_CODES.has(code) };
  } finally {
    clearTimeout(timer);
    unlisten?.();
  }
}

/** A response body as the handler gives it (a stream, or bytes), as text, up to MAX_RESPONSE_BYTES. */
async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_RESPONSE_BYTES) throw new TooLarge(`response larger than ${MAX_RESPONSE_BYTES} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class TooLarge extends Error {}
