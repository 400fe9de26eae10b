import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { formatAmzDate, parseAmzDate } from '../timestamps.js';
import type { CredentialHolder, CredentialStore } from '../credentialStore.js';
import type { EmulatorRequest } from '../httpExchange.js';
import { Sha256 } from './sha256.js';
import {
  expiredToken,
  incompleteSignature,
  invalidClientTokenId,
  missingAuthenticationToken,
  signatureDoesNotMatch,
} from './stsErrors.js';

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
 * Checks a request's `Authorization: AWS4-HMAC-SHA256 …` header the way AWS does, answering with its
 * error codes: the header's parts, an access key the emulator issued with its session token, credentials
 * not expired, the credential scope (Region, service, date), the date skew, and the signature itself, recomputed with
 * @smithy/signature-v4 over the request as received and the secret key the emulator issued (never with
 * the client's signing code).
 */
export async function verifySigV4(request: EmulatorRequest, check: SigV4Check): Promise<SigV4Caller> {
  const header = request.headers.authorization;
  if (!header) throw missingAuthenticationToken();
  const auth = parseAuthorizationHeader(header);
  const amzDateText = String(request.headers['x-amz-date'] ?? '');
  const amzDate = parseAmzDate(amzDateText);
  if (!amzDate) {
    throw incompleteSignature(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${header}`);
  }
  if (!auth.signedHeaders.includes('host')) {
    throw incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const holder = check.credentials.get(auth.accessKeyId);
  if (!holder || request.headers['x-amz-security-token'] !== holder.sessionToken) throw invalidClientTokenId();
  if (check.now >= holder.expiration) throw expiredToken();

  if (auth.region !== check.region) throw signatureDoesNotMatch('Credential should be scoped to a valid region. ');
  if (auth.service !== check.service) throw signatureDoesNotMatch(`Credential should be scoped to correct service: '${check.service}'. `);
  if (auth.terminator !== 'aws4_request') {
    throw signatureDoesNotMatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'. `);
  }
  if (auth.date !== amzDateText.slice(0, 8)) {
    throw signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDateText.slice(0, 8)}', from '${amzDateText}'.`,
    );
  }
  checkSkew(amzDate, check);

  // The signer would take a payload hash header on trust: the body must be the one it hashes.
  const payloadHash = request.headers['x-amz-content-sha256'];
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(request.body).digest('hex')) throw signatureDoesNotMatch();
  const expected = await expectedSignature(request, auth, holder.secretAccessKey, amzDate);
  const received = Buffer.from(auth.signature, 'hex');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) throw signatureDoesNotMatch();
  return { accessKeyId: auth.accessKeyId, holder };
}

interface SigV4Authorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
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
  const credential = parts.get('Credential')!;
  const scope = credential.split('/');
  if (scope.length !== 5) {
    throw incompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator, signedHeaders: parts.get('SignedHeaders')!.split(';'), signature: parts.get('Signature')! };
}

function checkSkew(amzDate: Date, check: SigV4Check): void {
  const now = check.now.getTime();
  const minutes = `${Math.round(check.maxSkewMs / 60_000)} min.`;
  if (amzDate.getTime() < now - check.maxSkewMs) {
    throw signatureDoesNotMatch(
      `Signature expired: ${formatAmzDate(amzDate)} is now earlier than ${formatAmzDate(new Date(now - check.maxSkewMs))} (${formatAmzDate(check.now)} - ${minutes})`,
    );
  }
  if (amzDate.getTime() > now + check.maxSkewMs) {
    throw signatureDoesNotMatch(
      `Signature not yet current: ${formatAmzDate(amzDate)} is still later than ${formatAmzDate(new Date(now + check.maxSkewMs))} (${formatAmzDate(check.now)} + ${minutes})`,
    );
  }
}

/**
 * The signature of the request as received, over exactly the headers the client says it signed (a listed
 * header the request lacks is left out, so the signatures then differ), with the secret key the emulator
 * issued for that access key.
 */
async function expectedSignature(request: EmulatorRequest, auth: SigV4Authorization, secretAccessKey: string, amzDate: Date): Promise<Buffer> {
  const signed = new Set(auth.signedHeaders);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (signed.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    // Add no x-amz-content-sha256 of its own: the headers to sign are the client's.
    applyChecksum: false,
  });
  const result = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      // What is signed is the Host header as received; the signer reads no other part of the address.
      hostname: String(request.headers.host ?? ''),
      path: request.path,
      query: { ...request.query },
      headers,
      body: request.body,
    },
    { signingDate: amzDate, signableHeaders: signed },
  );
  const signature = /Signature=([0-9a-f]+)/.exec(String(result.headers.authorization))?.[1] ?? '';
  return Buffer.from(signature, 'hex');
}
