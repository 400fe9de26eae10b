import { createHash, verify, type KeyObject } from 'node:crypto';
import { getCanonicalQuery } from '../smithySigV4.js';
import type { EmulatorRequest } from './httpExchange.js';
import { accessDenied, validationError } from './serviceErrors.js';

/** The parts of `Authorization: <algorithm> Credential=<serial>/<scope>, SignedHeaders=..., Signature=...`. */
export interface ParsedAuthorization {
  readonly algorithm: string;
  readonly serialNumber: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: Buffer;
}

const AUTHORIZATION = /^(AWS4-X509-[A-Z0-9-]+) Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/;

export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (!header) throw accessDenied('Missing Authorization header');
  const match = AUTHORIZATION.exec(header);
  if (!match) throw accessDenied('Malformed Authorization header');
  const [, algorithm, credential, signedHeaders, signature] = match as unknown as [string, string, string, string, string];
  // Hex in whole bytes: Buffer.from would drop an odd last digit, and a signature one digit long would pass.
  if (signature.length % 2) throw accessDenied('Invalid signature');
  const [serialNumber, date, region, service, terminator, ...rest] = credential.split('/');
  if (!serialNumber || !date || !region || !service || !terminator || rest.length) {
    throw accessDenied('Malformed credential scope');
  }
  return {
    algorithm,
    serialNumber,
    date,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';'),
    signature: Buffer.from(signature, 'hex'),
  };
}

/** The string to sign rebuilt from the request as received, over exactly the headers it says it signed. */
export function stringToSignOf(request: EmulatorRequest, auth: ParsedAuthorization): string {
  const names = [...auth.signedHeaders];
  if (names.join(';') !== [...names].sort().join(';')) throw accessDenied('SignedHeaders must be sorted');
  for (const required of ['host', 'x-amz-date', 'x-amz-x509']) {
    if (!names.includes(required)) throw accessDenied(`SignedHeaders must include ${required}`);
  }
  if (request.headers['x-amz-x509-chain'] !== undefined && !names.includes('x-amz-x509-chain')) {
    throw accessDenied('SignedHeaders must include x-amz-x509-chain when it is sent');
  }
  const lines = names.map((name) => {
    // Own headers only: `constructor` or `__proto__` is no header the request sent (QA fuzz: a 500).
    const value = Object.hasOwn(request.headers, name) ? request.headers[name] : undefined;
    if (value === undefined) throw accessDenied(`Signed header ${name} is missing from the request`);
    const text = Array.isArray(value) ? value.join(',') : value;
    return `${name}:${text.trim().replace(/\s+/g, ' ')}`;
  });
  const canonical = [
    request.method,
    request.path,
    getCanonicalQuery({ query: { ...request.query } } as never),
    ...lines,
    '',
    names.join(';'),
    createHash('sha256').update(request.bytes ?? request.body).digest('hex'),
  ].join('\n');
  const amzDate = String(request.headers['x-amz-date']);
  const scope = `${auth.date}/${auth.region}/${auth.service}/${auth.terminator}`;
  return [auth.algorithm, amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
}

/** The key types of end-entity certificates and the algorithm each must be signed with. */
export type LeafKey =
  | { readonly type: 'RSA' | 'EC'; readonly keyObject: KeyObject }
  | { readonly type: 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87'; readonly publicKey: Uint8Array };

const ALGORITHM_BY_KEY: Record<LeafKey['type'], string> = {
  RSA: 'AWS4-X509-RSA-SHA256',
  EC: 'AWS4-X509-ECDSA-SHA256',
  'ML-DSA-44': 'AWS4-X509-MLDSA',
  'ML-DSA-65': 'AWS4-X509-MLDSA',
  'ML-DSA-87': 'AWS4-X509-MLDSA',
};

export async function verifyRequestSignature(key: LeafKey, auth: ParsedAuthorization, stringToSign: string): Promise<void> {
  if (auth.algorithm !== ALGORITHM_BY_KEY[key.type]) {
    throw validationError(`Algorithm ${auth.algorithm} does not match the certificate's ${key.type} key`);
  }
  const data = Buffer.from(stringToSign, 'utf8');
  let valid: boolean;
  if ('keyObject' in key) {
    valid = verify('sha256', data, key.type === 'EC' ? { key: key.keyObject, dsaEncoding: 'der' } : key.keyObject, auth.signature);
  } else {
    const implementation = (await import('../mlDsa.js')).mlDsa[key.type];
    valid = implementation.verify(auth.signature, data, key.publicKey);
  }
  if (!valid) throw accessDenied('Invalid signature');
}
