import { incompleteSignature } from './stsErrors.js';

/** What a SigV4 signature says of itself, from an Authorization header or a presigned URL's query. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** A presigned URL's authorization: the X-Amz-* query parameters. */
export interface QueryAuthorization extends SigV4Authorization {
  readonly amzDate: string;
  readonly expiresInSeconds: number;
  readonly sessionToken: string | undefined;
}

/** The query parameters a presigned URL adds, which are not part of the request it signs. */
const AUTHORIZATION_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
] as const;
/** SigV4 presigned URLs last a week at most. */
const MAX_EXPIRES_SECONDS = 604800;

/** `keyid/date/region/service/aws4_request`, split. */
export function credentialScope(credential: string): Omit<SigV4Authorization, 'signedHeaders' | 'signature'> {
  const scope = credential.split('/');
  if (scope.length !== 5) {
    throw incompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator };
}

/** A presigned URL's X-Amz-* parameters, checked; undefined when the query has no X-Amz-Algorithm (not presigned). */
export function queryAuthorization(query: Readonly<Record<string, string>>): QueryAuthorization | undefined {
  const algorithm = query['X-Amz-Algorithm'];
  if (algorithm === undefined) return undefined;
  if (algorithm !== 'AWS4-HMAC-SHA256') throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'`);
  // AWS's words and order: a sentence each (X-Amz-Expires, which it does not name, last).
  const missing = (['X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date', 'X-Amz-Expires'] as const).filter((name) => !query[name]);
  if (missing.length > 0) throw incompleteSignature(`${missing.map((name) => `AWS query-string parameters must include '${name}'. `).join('')}Re-examine the query-string parameters.`);
  const expires = query['X-Amz-Expires']!;
  if (!/^\d+$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_EXPIRES_SECONDS) {
    throw incompleteSignature(`X-Amz-Expires must be from 1 to ${MAX_EXPIRES_SECONDS} seconds, not '${expires}'`);
  }
  return {
    ...credentialScope(query['X-Amz-Credential']!),
    signedHeaders: query['X-Amz-SignedHeaders']!.split(';'),
    signature: query['X-Amz-Signature']!,
    amzDate: query['X-Amz-Date']!,
    expiresInSeconds: Number(expires),
    sessionToken: query['X-Amz-Security-Token'],
  };
}

/** The query of the request a presigned URL signs: without its X-Amz-* authorization parameters. */
export function unsignedQuery(query: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([name]) => !(AUTHORIZATION_PARAMETERS as readonly string[]).includes(name)));
}
