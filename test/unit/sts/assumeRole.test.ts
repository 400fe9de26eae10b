import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AssumeRoleError } from '../../../src/errors.js';
import { assumeRole } from '../../../src/sts/assumeRole.js';
import { resolveStsEndpoint } from '../../../src/sts/stsEndpoint.js';
import { testContext } from '../../support/context.js';
import { answering, type FakeEndpoint } from '../../support/fakeEndpoints.js';

const ROLE = 'arn:aws:iam::210987654321:role/deploy';
const SOURCE = {
  accessKeyId: 'ASIASOURCE',
  secretAccessKey: 'source-secret',
  sessionToken: 'source-token',
  expiration: new Date(Date.now() + 3_600_000),
  expirationText: '',
  roleSessionName: 'cafe01',
};
const OPTIONS = { transport: { verifyTls: true, timeoutMs: 2_000 }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, deadlineMs: 5_000 }, userAgent: 'test' };
const refusal = (code: string, message: string) =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-9</RequestId></ErrorResponse>`;

let endpoint: FakeEndpoint | undefined;
afterEach(async () => endpoint?.close());

/** AssumeRole against an endpoint that answers each request with `status` and `body`, noting the requests. */
async function callWith(status: number, body: string, seen: { headers: IncomingMessage['headers']; url: string }[] = []) {
  endpoint = await answering((req, res) => {
    seen.push({ headers: req.headers, url: req.url ?? '' });
    res.writeHead(status, { 'Content-Type': 'text/xml' }).end(body);
  });
  const sts = resolveStsEndpoint(endpoint.url, 'eu-west-1', {});
  return assumeRole(SOURCE, { config: { roleArn: ROLE, roleSessionName: undefined, externalId: undefined, durationSeconds: 3600, tags: [], transitiveTagKeys: [] }, endpoint: sts }, OPTIONS, testContext());
}

describe('assumeRole', () => {
  it('signs for sts in the Region with the source session, and reads the credentials', async () => {
    const seen: { headers: IncomingMessage['headers']; url: string }[] = [];
    const credentials = await callWith(
      200,
      '<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIACHAINED</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>',
      seen,
    );
    expect(credentials.accessKeyId).toBe('ASIACHAINED');
    expect(seen[0]!.url).toBe('/');
    expect(seen[0]!.headers['x-amz-security-token']).toBe('source-token');
    // As CreateSession's, unsigned (mutation QA: none was sent, unseen).
    expect(seen[0]!.headers['user-agent']).toBe('test');
    expect(seen[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIASOURCE\/\d{8}\/eu-west-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
  });

  it('reports a refusal as STS wrote it, naming the role; a role refused here is refused in every Region', async () => {
    const error = await callWith(403, refusal('AccessDenied', 'User: x is not authorized to perform: sts:AssumeRole')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssumeRoleError);
    expect((error as AssumeRoleError).message).toBe(
      `unable to assume role ${ROLE}: operation error STS: AssumeRole, http response error StatusCode: 403, RequestID: r-9, api error AccessDenied: User: x is not authorized to perform: sts:AssumeRole`,
    );
    expect((error as AssumeRoleError).tryNextLink).toBe(false);
  });

  it('says another Region may do better when STS is not activated here, or fails after the retries', async () => {
    const disabled = await callWith(403, refusal('RegionDisabledException', 'STS is not activated in this region')).catch((e: unknown) => e);
    expect((disabled as AssumeRoleError).tryNextLink).toBe(true);
    await endpoint!.close();
    const failing = await callWith(503, refusal('ServiceUnavailable', 'down')).catch((e: unknown) => e);
    expect((failing as AssumeRoleError).message).toContain('exceeded maximum number of attempts, 2, http response error StatusCode: 503');
    expect((failing as AssumeRoleError).tryNextLink).toBe(true);
    expect(endpoint!.hits()).toBe(2);
  });

  it('says so when a 200 holds no credentials', async () => {
    await expect(callWith(200, '<html/>')).rejects.toThrow(
      `unable to assume role ${ROLE}: operation error STS: AssumeRole, http response error StatusCode: 200, RequestID: , the response is not an AssumeRole answer: the answer is not STS's (Content-Type text/xml): <html/>`,
    );
  });
});

describe('assumeRole\'s request', () => {
  it('numbers its tags and transitive tag keys from 1, as the query protocol does, and sends the session name, duration and external ID asked for (mutation QA)', async () => {
    let body = '';
    // Not answering(), which drops the body.
    const server = createServer((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => res.writeHead(403, { 'Content-Type': 'text/xml' }).end(refusal('AccessDenied', 'no')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sts = resolveStsEndpoint(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'eu-west-1', {});
    const config = { roleArn: ROLE, roleSessionName: 'tagged', externalId: 'partner-7', durationSeconds: 900, tags: [{ key: 'team', value: 'blue' }], transitiveTagKeys: ['team'] };
    await assumeRole(SOURCE, { config, endpoint: sts }, OPTIONS, testContext()).catch(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    const params = new URLSearchParams(body);
    expect([params.get('Tags.member.1.Key'), params.get('Tags.member.1.Value'), params.get('TransitiveTagKeys.member.1')]).toEqual(['team', 'blue', 'team']);
    // The name, duration and external ID asked for, not the source session's name nor STS's default (mutation QA).
    expect([params.get('RoleSessionName'), params.get('DurationSeconds'), params.get('ExternalId')]).toEqual(['tagged', '900', 'partner-7']);
  });
});
