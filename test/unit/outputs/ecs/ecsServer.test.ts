import { describe, expect, it } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { option } from '../../../../src/optionNames.js';
import { startEcsServer } from '../../../../src/outputs/ecs/ecsServer.js';
import type { ServedRole } from '../../../../src/outputs/httpServer/servedRole.js';
import type { TemporaryCredentials } from '../../../../src/temporaryCredentials.js';
import { imds } from '../../../support/imdsClient.js';
import { keptConnection } from '../../../support/keptConnection.js';
import { parseAnswer, rawHttp } from '../../../support/rawHttp.js';

const credentials: TemporaryCredentials = {
  accessKeyId: 'ASIAUNIT',
  secretAccessKey: 'secret',
  sessionToken: 'session',
  expiration: new Date('2030-01-01T00:00:00.500Z'),
  expirationText: '2030-01-01T00:00:00.5Z',
};
const role = (name: string, get: ServedRole['credentials']): ServedRole => ({ name, credentials: get, lastUpdated: () => new Date() });

/** An ECS server of these roles, taking the token `tok` (and `more` of its options), closed after `use`. */
async function withServer(roles: ServedRole[], use: (url: string, port: number) => Promise<void>, more: Partial<Parameters<typeof startEcsServer>[0]> = {}) {
  const running = await startEcsServer({ addresses: ['127.0.0.1'], port: 0, logger: silentLogger, roles, authorized: (value) => value === 'tok', ...more });
  try {
    await use(`http://127.0.0.1:${running.port}`, running.port);
  } finally {
    await running.close();
  }
}

describe('the container-credentials server', () => {
  it('leaves AccountId out when the service did not say, and renders Expiration in RFC 3339', async () => {
    await withServer([role('r', () => credentials)], async (url) => {
      const response = await imds(url, 'GET', '/role/r', { Authorization: 'tok' });
      expect(JSON.parse(response.body)).toEqual({ AccessKeyId: 'ASIAUNIT', SecretAccessKey: 'secret', Token: 'session', Expiration: '2030-01-01T00:00:00.5Z' });
    });
  });

  it('answers each role its own credentials, waiting for those not yet at hand', async () => {
    const other = { ...credentials, accessKeyId: 'ASIAOTHER', accountId: '111122223333' };
    await withServer([role('a', () => credentials), role('b', () => new Promise((resolve) => setTimeout(() => resolve(other), 50)))], async (url) => {
      expect(JSON.parse((await imds(url, 'GET', '/role/a', { Authorization: 'tok' })).body).AccessKeyId).toBe('ASIAUNIT');
      expect(JSON.parse((await imds(url, 'GET', '/role/b', { Authorization: 'tok' })).body)).toMatchObject({ AccessKeyId: 'ASIAOTHER', AccountId: '111122223333' });
    });
  });

  it('answers 500 with a JSON reason when there are no valid credentials, never empty ones', async () => {
    const failing = role('r', () => Promise.reject(new Error('the credentials expired at 2030-01-01T00:00:00Z and refreshing them fails: endpoint down')));
    await withServer([failing], async (url) => {
      const response = await imds(url, 'GET', '/role/r', { Authorization: 'tok' });
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toBe('application/json');
      expect(JSON.parse(response.body)).toEqual({
        Code: 'CredentialsUnavailable',
        Message: 'unable to obtain credentials: the credentials expired at 2030-01-01T00:00:00Z and refreshing them fails: endpoint down',
      });
    });
  });

  it('checks the token before the Host header: a caller without it learns neither the role nor the addresses', async () => {
    await withServer([role('r', () => credentials)], async (url) => {
      const rebound = { Host: 'attacker.example' };
      const anonymous = await imds(url, 'GET', '/role/r', rebound);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).not.toContain('127.0.0.1');
      expect((await imds(url, 'GET', '/role/r', { ...rebound, Authorization: 'wrong' })).status).toBe(403);
      const withToken = await imds(url, 'GET', '/role/r', { ...rebound, Authorization: 'tok' });
      expect(withToken.status).toBe(400);
      expect(JSON.parse(withToken.body)).toMatchObject({ Code: 'InvalidHost' });
    });
  });

  it('closes the connection of a caller without the token (401) or with another (403), and keeps the one of a caller with it', async () => {
    await withServer([role('r', () => credentials)], async (_url, port) => {
      const request = (authorization?: string) => `GET /role/r HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${authorization ? `Authorization: ${authorization}\r\n` : ''}\r\n`;
      for (const [authorization, status] of [[undefined, 401], ['wrong', 403]] as const) {
        const refused = await keptConnection(port, request(authorization), 100);
        expect(refused.first).toMatch(new RegExp(`^HTTP/1\\.1 ${status} [^]*\r\nConnection: close\r\n`));
        expect(refused.closedWhileIdle).toBe(true);
      }
      const kept = await keptConnection(port, request('tok'), 100);
      expect(kept.closedWhileIdle).toBe(false);
      expect(kept.second).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    });
  });

  it('answers a handler that fails with JSON too, as every answer of the protocol is', async () => {
    const broken: ServedRole = { name: 'r', credentials: () => credentials, lastUpdated: () => { throw new Error('boom'); } };
    await withServer([broken], async (url) => {
      const response = await imds(url, 'GET', '/role/r', { Authorization: 'tok' });
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toBe('application/json');
      expect(JSON.parse(response.body)).toEqual({ Code: 'InternalError', Message: 'internal error' });
    });
  });

  it('answers a failure after waiting for the credentials with JSON too, rather than leaving the rejection unhandled (which ends the process)', async () => {
    const broken: ServedRole = { name: 'r', credentials: () => Promise.resolve(credentials), lastUpdated: () => { throw new Error('boom'); } };
    await withServer([broken], async (url) => {
      const response = await imds(url, 'GET', '/role/r', { Authorization: 'tok' });
      expect(response.status).toBe(500);
      expect(JSON.parse(response.body)).toEqual({ Code: 'InternalError', Message: 'internal error' });
    });
  });

  it('routes an absolute-form request target on its path, its authority checked as the Host header is (RFC 9112 §3.2.2)', async () => {
    await withServer([role('r', () => credentials)], async (url, port) => {
      const get = async (target: string, host = `127.0.0.1:${port}`) =>
        parseAnswer(await rawHttp(port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: tok\r\nConnection: close\r\n\r\n`));
      const answer = await get(`${url}/role/r`);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).AccessKeyId).toBe('ASIAUNIT');
      expect((await get(`HTTP://127.0.0.1:${port}/role/r/?x=1`, 'elsewhere.example')).status).toBe(200);
      expect(JSON.parse((await get(`${url}/role/other`)).body)).toEqual({ Code: 'NotFound', Message: 'no credentials at /role/other: they are at /role/r' });
      expect(JSON.parse((await get(`${url}`)).body).Message).toBe('no credentials at /: they are at /role/r');
      const rebound = await get('http://attacker.example/role/r');
      expect(rebound.status).toBe(400);
      expect(JSON.parse(rebound.body).Code).toBe('InvalidHost');
    });
  });

  it('answers in JSON what Node refuses itself: a request that is not HTTP, headers too large, no Host, an Expect other than 100-continue; and a 405 says Allow', async () => {
    await withServer([role('r', () => credentials)], async (url, port) => {
      const refusal = async (request: string) => {
        const answer = parseAnswer(await rawHttp(port, request));
        expect(answer.headers['content-type']).toBe('application/json');
        // Each closes its connection, and says so (mutation sweep: the head of Node's refusals could leave it out).
        expect(answer.headers.connection).toBe('close');
        return { status: answer.status, body: JSON.parse(answer.body), allow: answer.headers.allow };
      };
      expect(await refusal('NOT HTTP AT ALL\r\n\r\n')).toMatchObject({ status: 400, body: { Code: 'BadRequest', Message: 'the request is not valid HTTP/1.1' } });
      const large = `GET /role/r HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Large: ${'a'.repeat(20_000)}\r\n\r\n`;
      expect(await refusal(large)).toMatchObject({ status: 431, body: { Code: 'RequestHeaderFieldsTooLarge', Message: "the request's headers are too large" } });
      expect(await refusal('GET /role/r HTTP/1.1\r\nAuthorization: tok\r\nConnection: close\r\n\r\n')).toMatchObject({ status: 400, body: { Code: 'InvalidHost' } });
      // Node answers 417 itself, before the handler, with an empty body (fuzzing).
      const expectation = 'GET /role/r HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\nConnection: close\r\n\r\n';
      expect(await refusal(expectation)).toMatchObject({ status: 417, body: { Code: 'ExpectationFailed', Message: 'only Expect: 100-continue is answered' } });
      const post = await imds(url, 'POST', '/role/r', { Authorization: 'tok' });
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe('GET');
      expect(JSON.parse(post.body).Code).toBe('MethodNotAllowed');
    });
  });

  // Mutation sweep (mutout): an empty Authorization answered 403, and a role served under any six-character prefix, passed every test.
  it('answers an empty Authorization header 401, as none: no token was sent', async () => {
    await withServer([role('r', () => credentials)], async (url) => {
      const response = await imds(url, 'GET', '/role/r', { Authorization: '' });
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body).Code).toBe('Unauthorized');
    });
  });

  it('serves a role at /role/<name> only, not under another prefix of that length', async () => {
    await withServer([role('r', () => credentials)], async (url) => {
      for (const path of ['/rolX/r', '/abcd/r', '/Role/r']) {
        const response = await imds(url, 'GET', path, { Authorization: 'tok' });
        expect(response.status).toBe(404);
        expect(response.body).not.toContain('ASIAUNIT');
      }
    });
  });

  // Mutation sweep (mutout): the reason given without the caller's option names passed every unit test.
  it("names the options in the 500's reason as the caller does (serve: its flags)", async () => {
    const failing = role('r', () => {
      throw new HelperError(`invalid ${option('durationSeconds')} 5`);
    });
    await withServer(
      [failing],
      async (url) => {
        const response = await imds(url, 'GET', '/role/r', { Authorization: 'tok' });
        expect(response.status).toBe(500);
        expect(JSON.parse(response.body).Message).toBe('unable to obtain credentials: invalid --flag-durationSeconds 5');
      },
      { naming: (name) => `--flag-${name}` },
    );
  });
});
