import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** A request as the emulator received it: the raw path, the decoded query, the headers and the body. */
export interface EmulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Every value of each query parameter, in order, where `query` holds the last (a list member is sent as `specifiers=CN&specifiers=OU`). */
  readonly queryLists?: Readonly<Record<string, readonly string[]>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body as received, which signatures are over (`body` reads it as UTF-8: QA fuzz, a Latin-1 é failed its signature). */
  readonly bytes?: Buffer;
  /** Sent back as `x-amzn-RequestId` (and in STS's XML). */
  readonly requestId: string;
}

/** An answer, written in one piece. */
export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A JSON answer (the management API's, a refusal's): `body` as JSON. */
export function jsonReply(status: number, body: object): Reply {
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}

export async function receiveRequest(req: IncomingMessage): Promise<EmulatorRequest> {
  const target = req.url ?? '/';
  const url = requestUrl(target);
  const bytes = await readBody(req);
  return {
    method: req.method ?? 'GET',
    // As sent (a URL resolves `..`: GetProfile of `..` was answered as STS, QA fuzz); an absolute URL's that does not parse (`http://[/`) is a path no route has.
    path: target.startsWith('/') ? target.replace(/[?#].*/s, '') : (url?.pathname ?? target),
    query: url ? Object.fromEntries(url.searchParams) : {},
    queryLists: url ? Object.fromEntries([...new Set(url.searchParams.keys())].map((name) => [name, url.searchParams.getAll(name)])) : {},
    headers: req.headers,
    body: bytes.toString('utf8'),
    bytes,
    requestId: randomUUID(),
  };
}

/**
 * The request target read as a URL. A path is read on the emulator's own host: with the host only as a base,
 * `//x` was read as the host x (path `/`), and `//`, `//[` or `//a:99999/` threw. Only an absolute URL
 * (as sent to a proxy) can fail to parse.
 */
function requestUrl(target: string): URL | undefined {
  try {
    return new URL(target.startsWith('/') ? `http://emulator${target}` : target, 'http://emulator');
  } catch {
    return undefined;
  }
}

/** The most a request's body may hold: the services' own bodies are a few kilobytes, a CRL to import more. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A body larger than MAX_BODY_BYTES, refused before it is read whole (QA: 600 MB ended the emulator). */
export class BodyTooLarge extends Error {
  constructor() {
    super(`the request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else {
        chunks.length = 0;
        reject(new BodyTooLarge());
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Writes a reply. Its `Date` is the emulator's clock (`date`), as the services send theirs: SDKs correct
 * their clock skew from it, so a test of a skewed clock sees them do it.
 */
export function sendReply(res: ServerResponse, reply: Reply, requestId: string, date: Date): void {
  // With its length, as the services send it, the answer is one write (not a chunk and then the last-chunk).
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType,
    'Content-Length': Buffer.byteLength(reply.body),
    Date: date.toUTCString(),
    'x-amzn-RequestId': requestId,
    ...reply.headers,
  });
  res.end(reply.body);
}
