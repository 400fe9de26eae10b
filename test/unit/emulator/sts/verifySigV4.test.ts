import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { assumedRoleIdentity } from '../../../../src/emulator/assumedRole.js';
import type { CredentialStore } from '../../../../src/emulator/credentialStore.js';
import type { EmulatorRequest } from '../../../../src/emulator/httpExchange.js';
import { Hash } from '@smithy/core/serde';
import { StsError } from '../../../../src/emulator/sts/stsErrors.js';
import { verifySigV4 } from '../../../../src/emulator/sts/verifySigV4.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const KEY = { accessKeyId: 'ASIATESTTESTTESTTEST', secretAccessKey: 'secret/key+value', sessionToken: 'token-of-the-key' };
const credentials: CredentialStore = new Map([
  [KEY.accessKeyId, {
    secretAccessKey: KEY.secretAccessKey,
    sessionToken: KEY.sessionToken,
    expiration: new Date(NOW.getTime() + 3600_000),
    identity: assumedRoleIdentity('arn:aws:iam::123456789012:role/test-role', 'session'),
    sourceIdentity: 'cn',
    transitiveTagKeys: [],
  }],
]);
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

/** A request signed by @smithy/signature-v4 for `sts`, as received by the emulator; `change` edits it after signing. */
async function signedRequest(
  options: { date?: Date; service?: string; region?: string; signed?: Record<string, string>; change?: (headers: Record<string, string>) => void } = {},
): Promise<EmulatorRequest> {
  const signer = new SignatureV4({ credentials: KEY, region: options.region ?? 'us-east-1', service: options.service ?? 'sts', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4000, path: '/', query: {}, headers: { host: '127.0.0.1:4000', 'content-type': 'application/x-www-form-urlencoded', ...options.signed }, body: BODY },
    { signingDate: options.date ?? NOW },
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]));
  options.change?.(headers);
  return { method: 'POST', path: '/', query: {}, headers, body: BODY, requestId: 'test' };
}

async function refusal(request: EmulatorRequest | Promise<EmulatorRequest>): Promise<[string, number, string]> {
  const error = await verifySigV4(await request, { credentials, now: NOW, maxSkewMs: 15 * 60_000, service: 'sts', region: 'us-east-1' }).then(
    () => expect.unreachable('the signature verified'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StsError);
  return [(error as StsError).code, (error as StsError).status, (error as StsError).message];
}

describe('verifySigV4', () => {
  it('accepts a request signed with the issued secret and token, and names its caller', async () => {
    const caller = await verifySigV4(await signedRequest(), { credentials, now: NOW, maxSkewMs: 15 * 60_000, service: 'sts', region: 'us-east-1' });
    expect(caller.accessKeyId).toBe(KEY.accessKeyId);
    expect(caller.holder.identity.arn).toBe('arn:aws:sts::123456789012:assumed-role/test-role/session');
  });

  it('refuses a body changed after signing, whatever its x-amz-content-sha256 says', async () => {
    const request = await signedRequest();
    expect(request.headers['x-amz-content-sha256']).toBeDefined();
    expect((await refusal({ ...request, body: `${BODY}&Extra=1` }))[0]).toBe('SignatureDoesNotMatch');
    const unhashed = await signedRequest({ change: (h) => delete h['x-amz-content-sha256'] });
    expect((await refusal({ ...unhashed, body: `${BODY}&Extra=1` }))[0]).toBe('SignatureDoesNotMatch');
    // An empty one, which the signer signs as the payload's hash (mutation QA: taken as none, the body went unchecked).
    const empty = await signedRequest({ signed: { 'x-amz-content-sha256': '' } });
    expect((await refusal({ ...empty, body: `${BODY}&Extra=1` }))[0]).toBe('SignatureDoesNotMatch');
  });

  it('refuses a signature with anything before or after its 64 hex digits, or in upper case, as STS compares it whole', async () => {
    for (const change of [(s: string) => `${s}0`, (s: string) => `${s}zz`, (s: string) => `${s}-`, (s: string) => s.toUpperCase(), (s: string) => s.slice(0, -1)]) {
      const request = await signedRequest({ change: (h) => (h.authorization = h.authorization!.replace(/Signature=([0-9a-f]+)/, (_, s: string) => `Signature=${change(s)}`)) });
      expect((await refusal(request))[0]).toBe('SignatureDoesNotMatch');
    }
  });

  it('refuses a malformed Authorization header as an incomplete signature', async () => {
    expect(await refusal(signedRequest({ change: (h) => (h.authorization = 'AWS4-HMAC-SHA256 Credential=x/y, SignedHeaders=host, Signature=00') }))).toEqual([
      'IncompleteSignature', 400,
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'x/y'",
    ]);
    // Six elements are no more taken than two: the scope is not read as its first five (mutation testing: it was, unseen).
    expect(await refusal(signedRequest({ change: (h) => (h.authorization = 'AWS4-HMAC-SHA256 Credential=k/20240102/us-east-1/sts/aws4_request/x, SignedHeaders=host, Signature=00') }))).toEqual([
      'IncompleteSignature', 400,
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'k/20240102/us-east-1/sts/aws4_request/x'",
    ]);
    const [code, status, message] = await refusal(signedRequest({ change: (h) => (h.authorization = h.authorization!.replace(/, Signature=.*/, '')) }));
    expect([code, status]).toEqual(['IncompleteSignature', 400]);
    expect(message).toMatch(/^Authorization header requires 'Signature' parameter\. Authorization=AWS4-HMAC-SHA256 /);
    expect(await refusal(signedRequest({ change: (h) => (h.authorization = h.authorization!.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512')) }))).toEqual([
      'IncompleteSignature', 400, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'",
    ]);
  });

  it("refuses a scope for another Region than the endpoint's, a FIPS one included (sts-fips.<region> is signed for the plain Region)", async () => {
    const wrongRegion = ['SignatureDoesNotMatch', 403, 'Credential should be scoped to a valid region. '];
    expect(await refusal(signedRequest({ region: 'eu-west-1' }))).toEqual(wrongRegion);
    expect(await refusal(signedRequest({ region: 'us-east-1-fips' }))).toEqual(wrongRegion);
  });

  it('accepts an X-Amz-Date that is the skew allowed away, no more (mutation QA: the bounds were untested)', async () => {
    for (const minutes of [-15, 15]) {
      const request = await signedRequest({ date: new Date(NOW.getTime() + minutes * 60_000) });
      await expect(verifySigV4(request, { credentials, now: NOW, maxSkewMs: 15 * 60_000, service: 'sts', region: 'us-east-1' })).resolves.toBeDefined();
    }
  });

  it('refuses a scope for another service, and a date in the future past the skew allowed', async () => {
    expect(await refusal(signedRequest({ service: 's3' }))).toEqual(['SignatureDoesNotMatch', 403, "Credential should be scoped to correct service: 'sts'. "]);
    expect(await refusal(signedRequest({ date: new Date(NOW.getTime() + 16 * 60_000) }))).toEqual([
      'SignatureDoesNotMatch', 403, 'Signature not yet current: 20261201T121600Z is still later than 20261201T121500Z (20261201T120000Z + 15 min.)',
    ]);
  });

  it('refuses a scope whose date is not X-Amz-Date\'s day, or whose terminator is not aws4_request (mutation QA: no test failed without either check)', async () => {
    const scope = (change: (parts: string[]) => string[]) => signedRequest({
      change: (h) => (h.authorization = h.authorization!.replace(/Credential=([^,]+)/, (_, c: string) => `Credential=${change(c.split('/')).join('/')}`)),
    });
    expect(await refusal(scope(([key, , ...rest]) => [key!, '20261130', ...rest]))).toEqual([
      'SignatureDoesNotMatch', 403,
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261130' != '20261201', from '20261201T120000Z'.",
    ]);
    expect(await refusal(scope((parts) => [...parts.slice(0, 4), 'aws4_reques']))).toEqual([
      'SignatureDoesNotMatch', 403, "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'. ",
    ]);
  });

  it('refuses credentials past their expiration before it looks at the signature', async () => {
    const request = await signedRequest({ change: (h) => (h.authorization = h.authorization!.replace(/Signature=\w+/, 'Signature=00')) });
    const error = await verifySigV4(request, { credentials, now: new Date(NOW.getTime() + 3600_000), maxSkewMs: 24 * 3600_000, service: 'sts', region: 'us-east-1' }).catch((e: StsError) => e);
    expect([(error as StsError).code, (error as StsError).status]).toEqual(['ExpiredToken', 403]);
  });
});
