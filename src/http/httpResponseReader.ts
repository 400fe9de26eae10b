import { cutShort } from '../log/printable.js';

/** The largest response body read: AWS's answers here are a few kB. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** An HTTP response as the transport hands it on: header names in lower case, the body decoded as UTF-8. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Bytes that are not the HTTP/1.1 response they should be; `truncated` when the connection ended too soon. */
export class MalformedHttpResponseError extends Error {
  constructor(
    message: string,
    readonly truncated = false,
  ) {
    super(message);
  }
}

/** A connection that ended before a byte of the response came. */
export const CLOSED_WITHOUT_ANSWER = 'the connection closed without an answer';

const MAX_HEAD_BYTES = 64 * 1024;
/** Go's limits on a chunked body's framing (net/http/internal/chunked.go): a chunk line's length, and the bytes besides data. */
const MAX_CHUNK_LINE_BYTES = 4096;
const MAX_CHUNK_EXCESS = 16 * 1024;
const STATUS_LINE = /^HTTP\/1\.[01] ([1-9]\d\d)(?: .*)?$/;
/** The token characters of a header name (RFC 9110 §5.6.2), checked without a regular expression, which costs ~0.1 ms to compile and tier up on every run. */
const TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
const LF = 0x0a;
const CR = 0x0d;

/**
 * Reads one HTTP/1.1 response from the bytes of a connection as they arrive: the status line and headers,
 * then the body framed by chunked transfer coding, Content-Length, or the end of the connection (RFC 9112
 * §6.3). Interim 1xx responses are skipped. With `headOnly` (the answer to a proxy's CONNECT) the head is
 * the whole response. Head lines may end with a bare LF; chunk lines may not, as Go refuses them there (a
 * request-smuggling risk, CVE-2025-22871).
 */
export class HttpResponseReader {
  #pending: Buffer = Buffer.alloc(0);
  #head: { status: number; headers: Record<string, string> } | undefined;
  /** Bytes of the interim (1xx) responses skipped, held to the head's limit: they may never end (fuzzing QA). */
  #interimBytes = 0;
  /** Where the head's lines not checked yet start in #pending (0: none is, not even the status line). */
  #checkedTo = 0;

  constructor(private readonly options: { readonly maxBodyBytes: number; readonly headOnly?: boolean }) {}

  /** Takes the next bytes; returns the response once it is complete. Throws MalformedHttpResponseError. */
  push(chunk: Buffer): HttpResponse | undefined {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    while (!this.#head) {
      const end = headEnd(this.#pending, Math.max(0, this.#checkedTo - 1));
      if (!end) {
        if (this.#pending.length > MAX_HEAD_BYTES) throw new MalformedHttpResponseError(`response headers larger than ${MAX_HEAD_BYTES} bytes`);
        // The lines complete so far are checked now: a server that is no HTTP server (an SSH banner) and
        // keeps the connection open is reported for what it sent, not after the timeout.
        const lastLf = this.#pending.lastIndexOf(LF);
        if (lastLf >= 0 && chunk.includes(LF)) {
          // Only the lines that came since, after the status line: the whole head checked again with each
          // packet took 7 s for 64 kB of headers sent a line a packet (fuzzing QA).
          const statusLine = this.#checkedTo > 0 ? `${this.#pending.toString('latin1', 0, this.#pending.indexOf(LF))}\n` : '';
          parseHead(statusLine + this.#pending.toString('latin1', this.#checkedTo, lastLf));
          this.#checkedTo = lastLf + 1;
        }
        // So is one whose first bytes cannot begin a status line, before any line ends (QA: an SMTP banner
        // without its line end was waited out); a TLS record is left to end(), which names it.
        if (lastLf < 0 && this.#pending.length >= 5 && !isTlsRecord(this.#pending) && this.#pending.toString('latin1', 0, 5) !== 'HTTP/') {
          parseHead(this.#pending.toString('latin1'));
        }
        return undefined;
      }
      const head = parseHead(this.#pending.toString('latin1', 0, end.head));
      this.#pending = this.#pending.subarray(end.body);
      this.#checkedTo = 0;
      if (head.status >= 200 || this.options.headOnly) this.#head = head;
      else if ((this.#interimBytes += end.body) > MAX_HEAD_BYTES) {
        throw new MalformedHttpResponseError(`interim (1xx) responses larger than ${MAX_HEAD_BYTES} bytes in all`);
      }
    }
    if (this.options.headOnly && this.#head.status >= 200 && this.#head.status <= 299 && this.#pending.length > 0) {
      // What follows a proxy's 200 to CONNECT is not the server's: a TLS server speaks only when spoken to. A
      // filtering proxy's page sent with the 200 was dropped, and the TLS handshake waited 30 s (QA).
      const start = cutShort(this.#pending.toString('latin1').replace(/[^\x20-\x7e]+/g, ' ').trim(), 80);
      throw new MalformedHttpResponseError(`it answered the tunnel with 200, then sent bytes of its own, not the server's: ${JSON.stringify(start)}`);
    }
    if (this.options.headOnly || !hasBody(this.#head.status)) return this.#response(Buffer.alloc(0));
    const body = this.#completeBody();
    return body && this.#response(body);
  }

  /** The connection ended: the response if it is complete, else a MalformedHttpResponseError. */
  end(): HttpResponse {
    if (this.#head && !this.#head.headers['transfer-encoding'] && this.#head.headers['content-length'] === undefined) {
      return this.#response(this.#checkedSize(this.#pending));
    }
    if (!this.#head && isTlsRecord(this.#pending)) {
      throw new MalformedHttpResponseError('the server speaks TLS (https://, where http:// was given?)', false);
    }
    if (!this.#head && this.#pending.length === 0) throw new MalformedHttpResponseError(CLOSED_WITHOUT_ANSWER, true);
    throw new MalformedHttpResponseError('the connection closed before the whole response arrived', true);
  }

  #completeBody(): Buffer | undefined {
    const { headers } = this.#head!;
    const coding = headers['transfer-encoding'];
    if (coding !== undefined) {
      // chunked alone, as Go reads it: a coding under it (gzip, chunked) would leave its bytes undecoded.
      if (coding.toLowerCase() !== 'chunked') {
        throw new MalformedHttpResponseError(`unsupported Transfer-Encoding ${coding}`);
      }
      return this.#chunkedBody();
    }
    const length = headers['content-length'];
    if (length === undefined) {
      this.#checkedSize(this.#pending);
      return undefined; // read until the connection closes
    }
    const size = contentLength(length);
    if (size > this.options.maxBodyBytes) this.#checkedSize({ length: size });
    return this.#pending.length >= size ? this.#pending.subarray(0, size) : undefined;
  }

  /**
   * The decoded chunks once the last one and the trailers have arrived (the whole body is re-read each time: it
   * is small). The bytes besides data are held to Go's limits: an endless chunk extension or trailer was read
   * until the timeout, into memory, however large (fuzzing QA).
   */
  #chunkedBody(): Buffer | undefined {
    const chunks: Buffer[] = [];
    let size = 0;
    let at = 0;
    let excess = 0;
    for (;;) {
      const lineEnd = this.#lineEnd(at);
      if ((lineEnd < 0 ? this.#pending.length : lineEnd) - at > MAX_CHUNK_LINE_BYTES) {
        throw new MalformedHttpResponseError(`chunk line longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
      }
      if (lineEnd < 0) return undefined;
      const sizeText = this.#pending.toString('latin1', at, lineEnd).split(';')[0]!.trim();
      if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new MalformedHttpResponseError(`invalid chunk size ${JSON.stringify(sizeText.slice(0, 20))}`);
      const chunkSize = parseInt(sizeText, 16);
      const lineBytes = lineEnd - at;
      at = lineEnd + 2;
      if (chunkSize === 0) {
        this.#lineEnd(at);
        // Trailer fields, if any, end with an empty line.
        const trailersEnd = this.#pending.subarray(at - 2).indexOf('\r\n\r\n');
        if ((trailersEnd < 0 ? this.#pending.length - at : trailersEnd) > MAX_HEAD_BYTES) {
          throw new MalformedHttpResponseError(`response trailers larger than ${MAX_HEAD_BYTES} bytes`);
        }
        return trailersEnd < 0 ? undefined : Buffer.concat(chunks);
      }
      // Go allows 16 bytes per chunk and twice its data: "1;<4 kB>\r\nX\r\n" over and over is mostly not data.
      excess = Math.max(0, excess + lineBytes + 4 - 16 - 2 * chunkSize);
      if (excess > MAX_CHUNK_EXCESS) throw new MalformedHttpResponseError('chunked encoding contains too much non-data');
      size = this.#checkedSize({ length: size + chunkSize }).length;
      if (this.#pending.length < at + chunkSize + 2) return undefined;
      chunks.push(this.#pending.subarray(at, at + chunkSize));
      if (this.#pending.toString('latin1', at + chunkSize, at + chunkSize + 2) !== '\r\n') throw new MalformedHttpResponseError('malformed chunked body');
      at += chunkSize + 2;
    }
  }

  /**
   * Where the line from `at` ends (its CR), or -1 before its LF has come. A bare LF ending it is refused, as Go
   * does in chunked framing (it was waited past, then retried as truncated).
   */
  #lineEnd(at: number): number {
    const lf = this.#pending.indexOf(LF, at);
    if (lf < 0) return -1;
    if (this.#pending[lf - 1] !== CR) throw new MalformedHttpResponseError('chunk line ended by a bare LF');
    return lf - 1;
  }

  #checkedSize<T extends { length: number }>(body: T): T {
    if (body.length > this.options.maxBodyBytes) {
      throw new MalformedHttpResponseError(`response larger than ${this.options.maxBodyBytes} bytes`);
    }
    return body;
  }

  #response(body: Buffer): HttpResponse {
    return { status: this.#head!.status, headers: this.#head!.headers, body: body.toString('utf8') };
  }
}

/**
 * Where the head ends (its last line's LF) and the body starts (after the empty line), or undefined before
 * the empty line has come. A line may end with a bare LF, as RFC 9112 §2.2 lets a recipient take it and
 * Go and curl do. The search starts at `from`, an LF whose next bytes had not all come at the last search.
 */
function headEnd(bytes: Buffer, from: number): { head: number; body: number } | undefined {
  for (let lf = bytes.indexOf(LF, from); lf >= 0; lf = bytes.indexOf(LF, lf + 1)) {
    if (bytes[lf + 1] === LF) return { head: lf, body: lf + 2 };
    if (bytes[lf + 1] === CR && bytes[lf + 2] === LF) return { head: lf, body: lf + 3 };
  }
  return undefined;
}

/**
 * The body's length that Content-Length gives. Several equal values (the header repeated, or `229, 229`)
 * are one, as RFC 9110 §8.6 allows and Go takes them; different ones leave the body's end unknown.
 */
function contentLength(value: string): number {
  const [first = '', ...others] = value.split(',').map((part) => part.trim());
  if (!/^\d+$/.test(first) || others.some((other) => other !== first)) throw new MalformedHttpResponseError(`invalid Content-Length ${value}`);
  return Number(first);
}

/** A TLS record (an alert, 0x15, or a handshake, 0x16, of version 3.x): a TLS server answering plain HTTP. */
function isTlsRecord(bytes: Buffer): boolean {
  return (bytes[0] === 0x15 || bytes[0] === 0x16) && bytes[1] === 0x03;
}

function parseHead(text: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const status = STATUS_LINE.exec(statusLine);
  if (!status) throw new MalformedHttpResponseError(`not an HTTP/1.1 response: ${JSON.stringify(statusLine.slice(0, 40))}`);
  const headers: Record<string, string> = Object.create(null);
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon <= 0 || !isToken(name)) throw new MalformedHttpResponseError(`malformed header line ${JSON.stringify(line.slice(0, 40))}`);
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  return { status: Number(status[1]), headers };
}

function isToken(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const alphanumeric = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alphanumeric && !TOKEN_SYMBOLS.includes(c)) return false;
  }
  return text.length > 0;
}

/** 204 and 304 answers end with their headers (and a POST is never answered with a HEAD's bodiless 200). */
function hasBody(status: number): boolean {
  return status !== 204 && status !== 304;
}
