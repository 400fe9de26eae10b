import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash, SignatureV4 } from '../../smithySigV4.js';
import { amzDateSkewProblem, parseAmzDate } from '../timestamps.js';
import { forgotten, type CredentialHolder, type CredentialStore } from '../credentialStore.js';
import type { EmulatorRequest } from '../httpExchange.js';
import { credentialScope, queryAuthorization, unsignedQuery, type QueryAuthorization, type SigV4Authorization } from './sigV4Authorization.js';
import {
  expiredToken,
  incompleteSignature,
  invalidClientTokenId,
  missingAuthenticationToken,
  signatureDoesNotMatch,
} from './stsErrors.js';

/** A SigV4 signature as sent: HMAC-SHA256 in lower-case hex. */
const SIGNATURE = /^[0-9a-f]{64}$/;

export interface SigV4Check {
  readonly credentials: CredentialStore;
  readonly now: Date;
  readonly maxSkewMs: number;
  /** The service the credential scope must name (`sts`). */
  readonly service: string;
  /**
   * The Region the credential scope must name: the endpoint's own (a FIPS endpoint, `sts-fips.<region>`,
   * is signed for the plain Region too).
   */
  readonly region: string;
}

/** The caller of a request whose signature verified. */
export interface SigV4Caller {
  readonly accessKeyId: string;
  readonly holder: CredentialHolder;
}

/**
 * Checks a request's `Authorization: AWS4-HMAC-SHA256 …` header, or the `X-Amz-*` query parameters of a
 * presigned URL, the way AWS does, answering with its error codes: the parts, an access key the emulator
 * issued with its session token, credentials not expired, the credential scope (Region, service, date),
 * the date skew (a presigned URL's too, whatever its X-Amz-Expires), and the signature itself, recomputed with
 * @smithy/signature-v4 over the request as received and the secret key the emulator issued (never with
 * the client's signing code).
 */
export async function verifySigV4(request: EmulatorRequest, check: SigV4Check): Promise<SigV4Caller> {
  const header = request.headers.authorization;
  const presigned = header === undefined ? queryAuthorization(request.query) : undefined;
  if (!header && !presigned) throw missingAuthenticationToken();
  const auth = presigned ?? parseAuthorizationHeader(header!);
  const amzDateText = presigned ? presigned.amzDate : String(request.headers['x-amz-date'] ?? '');
  const amzDate = parseAmzDate(amzDateText);
  if (!amzDate) {
    throw incompleteSignature(
      presigned
        ? `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`
        : `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${header}`,
    );
  }
  if (!auth.signedHeaders.includes('host')) {
    throw incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const holder = check.credentials.get(auth.accessKeyId);
  const sessionToken = presigned ? presigned.sessionToken : request.headers['x-amz-security-token'];
  if (!holder || forgotten(holder, check.now)) {
    throw invalidClientTokenId(`the emulator did not issue access key ${auth.accessKeyId} (or forgot it an hour after it expired): an earlier run's, or another emulator's?`);
  }
  if (sessionToken !== holder.sessionToken) throw invalidClientTokenId(`not the session token issued with access key ${auth.accessKeyId}`);
  if (check.now >= holder.expiration) throw expiredToken();

  // STS names neither Region; the log does (QA pyemu: a test suite's AWS_DEFAULT_REGION was not the emulator's).
  if (auth.region !== check.region) throw signatureDoesNotMatch('Credential should be scoped to a valid region. ', `signed for ${auth.region}: the emulator's Region is ${check.region}`);
  if (auth.service !== check.service) throw signatureDoesNotMatch(`Credential should be scoped to correct service: '${check.service}'. `);
  if (auth.terminator !== 'aws4_request') {
    throw signatureDoesNotMatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'. `);
  }
  if (auth.date !== amzDateText.slice(0, 8)) {
    throw signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDateText.slice(0, 8)}', from '${amzDateText}'.`,
    );
  }
  // A presigned URL too: STS holds it to the skew from its X-Amz-Date whatever its X-Amz-Expires, which only S3
  // honours (aws-sdk-go #2167: an EKS token of X-Amz-Expires=60 is taken for 15 minutes, one of a week no longer).
  checkSkew(amzDate, check);

  // The signer would take a payload hash header on trust: the body must be the one it hashes.
  const payloadHash = request.headers['x-amz-content-sha256'];
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(request.bytes ?? request.body).digest('hex')) throw signatureDoesNotMatch();
  const expected = presigned
    ? await expectedPresignature(request, presigned, holder, amzDate)
    : await expectedSignature(request, auth, holder.secretAccessKey, amzDate);
  // As STS compares it: 64 lower-case hex digits, nothing before or after (Buffer.from would skip what is not hex).
  if (!SIGNATURE.test(auth.signature)) throw signatureDoesNotMatch();
  // 32 bytes, as an HMAC-SHA256 is.
  const received = Buffer.from(auth.signature, 'hex');
  if (!timingSafeEqual(received, expected)) throw signatureDoesNotMatch();
  return { accessKeyId: auth.accessKeyId, holder };
}

function parseAuthorizationHeader(header: string): SigV4Authorization {
  const space = header.indexOf(' ');
  const algorithm = space === -1 ? header : header.slice(0, space);
  if (algorithm !== 'AWS4-HMAC-SHA256') throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'`);
  const parts = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals !== -1) parts.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !parts.get(name));
  if (missing.length) {
    throw incompleteSignature(`${missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ')} Authorization=${header}`);
  }
  return { ...credentialScope(parts.get('Credential')!), signedHeaders: parts.get('SignedHeaders')!.split(';'), signature: parts.get('Signature')! };
}

function checkSkew(amzDate: Date, check: SigV4Check): void {
  const problem = amzDateSkewProblem(amzDate, check.now, check.maxSkewMs);
  if (problem) throw signatureDoesNotMatch(problem);
}

/**
 * The signature of the request as received, over exactly the headers the client says it signed (a listed
 * header the request lacks is left out, so the signatures then differ), with the secret key the emulator
 * issued for that access key.
 */
async function expectedSignature(request: EmulatorRequest, auth: SigV4Authorization, secretAccessKey: string, amzDate: Date): Promise<Buffer> {
  const signed = new Set(auth.signedHeaders);
  const result = await signerFor(auth, { accessKeyId: auth.accessKeyId, secretAccessKey }).sign(signable(request, signed, { ...request.query }), {
    signingDate: amzDate,
    signableHeaders: signed,
  });
  const signature = /Signature=([0-9a-f]+)/.exec(String(result.headers.authorization))?.[1] ?? '';
  return Buffer.from(signature, 'hex');
}

function signerFor(auth: SigV4Authorization, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): SignatureV4 {
  return new SignatureV4({
    credentials,
    region: auth.region,
    service: auth.service,
    sha256: Hash.bind(null, 'sha256'),
    // Add no x-amz-content-sha256 of its own: the headers to sign are the client's.
    applyChecksum: false,
  });
}

/** The request as received, with only the headers the client says it signed (a listed header it lacks is left out). */
function signable(request: EmulatorRequest, signed: ReadonlySet<string>, query: Record<string, string>) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (signed.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    method: request.method,
    protocol: 'http:',
    // What is signed is the Host header as received; the signer reads no other part of the address.
    hostname: String(request.headers.host ?? ''),
    path: request.path,
    query,
    headers,
    body: request.bytes ?? request.body,
  };
}

/**
 * The signature a presigned request should carry: its query without the signature (the signer adds the
 * X-Amz-* parameters again, the session token among them), over the headers the URL says it signed.
 */
async function expectedPresignature(request: EmulatorRequest, auth: QueryAuthorization, holder: CredentialHolder, amzDate: Date): Promise<Buffer> {
  const signed = new Set(auth.signedHeaders);
  const signer = signerFor(auth, { accessKeyId: auth.accessKeyId, secretAccessKey: holder.secretAccessKey, sessionToken: holder.sessionToken });
  const presigned = await signer.presign(signable(request, signed, unsignedQuery(request.query)), {
    signingDate: amzDate,
    expiresIn: auth.expiresInSeconds,
    signableHeaders: signed,
    // The signed headers stay headers, as they were signed.
    unhoistableHeaders: signed,
  });
  return Buffer.from(String(presigned.query?.['X-Amz-Signature'] ?? ''), 'hex');
}
