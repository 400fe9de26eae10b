import { hash } from 'node:crypto';
import { getCanonicalHeaders, getCanonicalQuery } from '../smithySigV4.js';

/** The parts of an HTTP request that SigV4 signs. */
export interface SignableRequest {
  readonly method: string;
  /** The path as sent, already percent-encoded (e.g. `/sessions`). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Every header to sign, Host included; Authorization and User-Agent are never signed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface CanonicalRequest {
  readonly text: string;
  /** `content-type;host;x-amz-date;...` */
  readonly signedHeaders: string;
}

/**
 * The SigV4 canonical request. Header and query canonicalisation are the AWS SDK's own
 * (@smithy/signature-v4), so the helper signs exactly as AWS signers do.
 */
export function canonicalRequest(request: SignableRequest): CanonicalRequest {
  const headers = getCanonicalHeaders({ headers: { ...request.headers } } as never);
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const text = [
    request.method.toUpperCase(),
    request.path,
    canonicalQueryString(request.query),
    ...names.map((name) => `${name}:${headers[name]}`),
    '',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  return { text, signedHeaders };
}

/** Sorted, RFC 3986-encoded `key=value&...`: the canonical query, and a valid query string to send. */
export function canonicalQueryString(query: Readonly<Record<string, string>>): string {
  return getCanonicalQuery({ query: { ...query } } as never);
}

/** crypto.hash, the one-shot form: its first call costs a third of createHash's (~0.15 ms against ~0.45). */
export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}
