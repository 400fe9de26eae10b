import { createPublicKey, verify } from 'node:crypto';
import { testContext } from '../../support/context.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileKeySource } from '../../../src/keys/file/fileKeySource.js';
import { canonicalRequest } from '../../../src/sigv4x509/canonicalRequest.js';
import { signRequest } from '../../../src/sigv4x509/signRequest.js';
import { parseRawRequest, readVector, vectorPath } from '../../support/vectors.js';

/** The headers the reference's SDK added and signed, which a replay must sign too. */
const SDK_HEADERS = ['Amz-Sdk-Invocation-Id', 'Amz-Sdk-Request'];

function dateOf(amzDate: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate)!;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

function authorizationParts(header: string) {
  const m = /^(\S+) Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(header)!;
  return { algorithm: m[1], credential: m[2], signedHeaders: m[3], signature: m[4]! };
}

async function replay(capture: string, keyFiles: { cert: string; key: string; chain?: string; password?: string }) {
  const captured = parseRawRequest(readVector(capture).toString('latin1'));
  const source = new FileKeySource({
    certificate: vectorPath(`pki/${keyFiles.cert}`),
    privateKey: vectorPath(`pki/${keyFiles.key}`),
    intermediates: keyFiles.chain && vectorPath(`pki/${keyFiles.chain}`),
    pkcs8Password: keyFiles.password,
  }, testContext());
  const identity = await source.current();
  const headers: Record<string, string> = {
    'Content-Type': captured.headers['Content-Type']!,
    Host: captured.headers.Host!,
  };
  for (const name of SDK_HEADERS) headers[name] = captured.headers[name]!;
  const signed = await signRequest(
    { method: captured.method, path: captured.path, query: captured.query, headers, body: captured.body },
    { ...identity, certificate: identity.certificate! },
    { date: dateOf(captured.headers['X-Amz-Date']!), region: 'us-east-1' },
  );
  return { captured, signed, identity };
}

describe('SigV4-X509 against the reference captures', () => {
  it.each([
    ['request-rsa2048-chain.raw', { cert: 'rsa2048-cert.pem', key: 'rsa2048-key.pem', chain: 'chain.pem' }],
    ['request-rsa2048-encrypted-key.raw', { cert: 'rsa2048-cert.pem', key: 'rsa2048-key-enc-aes256.pem', password: 's3cret' }],
  ])('reproduces the RSA signature of %s byte for byte', async (capture, files) => {
    const { captured, signed } = await replay(capture, files);
    expect(signed.headers.Authorization).toBe(captured.headers.Authorization);
    expect(signed.headers['X-Amz-X509']).toBe(captured.headers['X-Amz-X509']);
    expect(signed.headers['X-Amz-X509-Chain']).toBe(captured.headers['X-Amz-X509-Chain']);
  });

  it('reproduces the canonical request and string to sign of the RSA capture exactly', async () => {
    const { signed } = await replay('request-rsa2048-chain.raw', {
      cert: 'rsa2048-cert.pem',
      key: 'rsa2048-key.pem',
      chain: 'chain.pem',
    });
    const expected = readFileSync(vectorPath('request-rsa2048-chain.canonical.txt'), 'utf8');
    const [canonical, stringToSign] = expected
      .replace(/^---- canonical request ----\n/, '')
      .split('\n---- string to sign ----\n');
    expect(signed.canonicalRequest).toBe(canonical);
    expect(signed.stringToSign).toBe(stringToSign!.replace(/\n$/, ''));
  });

  it.each([
    ['request-ec256-chain.raw', 'ec256-cert.pem', 'ec256-key.pem', 'chain.pem', 'request-ec256-chain.canonical.txt'],
    ['request-ec384.raw', 'ec384-cert.pem', 'ec384-key.pem', undefined, undefined],
  ])('rebuilds the string to sign of %s, whose ECDSA signature verifies over it', async (capture, cert, key, chain, canonicalFile) => {
    const { captured, signed } = await replay(capture, { cert, key, chain });
    const reference = authorizationParts(captured.headers.Authorization!);
    const ours = authorizationParts(signed.headers.Authorization!);
    expect(ours.algorithm).toBe('AWS4-X509-ECDSA-SHA256');
    expect(ours.credential).toBe(reference.credential);
    expect(ours.signedHeaders).toBe(reference.signedHeaders);
    const publicKey = createPublicKey(readFileSync(vectorPath(`pki/${cert}`)));
    const referenceSignature = Buffer.from(reference.signature, 'hex');
    expect(verify('sha256', Buffer.from(signed.stringToSign), publicKey, referenceSignature)).toBe(true);
    expect(verify('sha256', Buffer.from(signed.stringToSign), publicKey, Buffer.from(ours.signature, 'hex'))).toBe(true);
    if (canonicalFile) {
      const expected = readFileSync(vectorPath(canonicalFile), 'utf8');
      expect(expected).toContain(signed.canonicalRequest);
    }
  });

  it('signs only the headers it sends when there are no SDK headers, as AWS documents', () => {
    const { signedHeaders } = canonicalRequest({
      method: 'POST',
      path: '/sessions',
      query: {},
      headers: { 'Content-Type': 'application/json', Host: 'h', 'X-Amz-Date': 'd', 'X-Amz-X509': 'c', 'User-Agent': 'ua' },
      body: '',
    });
    expect(signedHeaders).toBe('content-type;host;x-amz-date;x-amz-x509');
  });
});
