import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/log/logger.js';
import type { ServedRole } from '../../../../src/outputs/httpServer/servedRole.js';
import { startImdsServer } from '../../../../src/outputs/imds/imdsServer.js';
import type { TemporaryCredentials } from '../../../../src/temporaryCredentials.js';
import { imds, imdsToken } from '../../../support/imdsClient.js';

const credentials: TemporaryCredentials = {
  accessKeyId: 'ASIAUNIT',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: new Date('2030-01-01T00:00:00Z'),
  expirationText: '2030-01-01T00:00:00Z',
};
const role: ServedRole = { name: 'r', credentials: () => credentials, lastUpdated: () => new Date() };
const TTL = 'X-aws-ec2-metadata-token-ttl-seconds';
const CREDENTIALS = '/latest/meta-data/iam/security-credentials';

/** An IMDS server on a clock the test moves (`clock.now`, in milliseconds). */
async function withServer(use: (url: string, clock: { now: number }) => Promise<void>) {
  const clock = { now: 0 };
  const running = await startImdsServer({ addresses: ['127.0.0.1'], port: 0, logger: silentLogger, region: 'eu-west-1', roles: [role], now: () => clock.now });
  try {
    await use(`http://127.0.0.1:${running.port}`, clock);
  } finally {
    await running.close();
  }
}

// Mutation sweep (mutout): each of these passed every unit test when changed.
describe('IMDS tokens, as the reference issues and checks them', () => {
  it('issues a token to PUT only: GET and POST of the token path are 405, saying Allow: PUT', async () => {
    await withServer(async (url) => {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const response = await imds(url, method, '/latest/api/token', { [TTL]: '60' });
        expect(response).toMatchObject({ status: 405, body: '' });
        expect(response.headers.allow).toBe('PUT');
      }
    });
  });

  it('takes a missing or empty TTL header as 21600 s, and echoes the TTL as it was sent (+60)', async () => {
    await withServer(async (url, clock) => {
      for (const headers of [{}, { [TTL]: '' }] as Record<string, string>[]) {
        const response = await imds(url, 'PUT', '/latest/api/token', headers);
        expect(response.status).toBe(200);
        expect(response.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600');
        const listing = await imds(url, 'GET', CREDENTIALS, { 'X-aws-ec2-metadata-token': response.body });
        expect(listing.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600');
      }
      const signed = await imds(url, 'PUT', '/latest/api/token', { [TTL]: '+60' });
      expect(signed.status).toBe(200);
      expect(signed.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('+60');
      clock.now = 59_999;
      expect((await imds(url, 'GET', CREDENTIALS, { 'X-aws-ec2-metadata-token': signed.body })).status).toBe(200);
    });
  });

  it('refuses a token once its TTL has passed, and says the whole seconds left on a listing', async () => {
    await withServer(async (url, clock) => {
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(url, '60') };
      clock.now = 500;
      const listing = await imds(url, 'GET', CREDENTIALS, token);
      expect(listing).toMatchObject({ status: 200, body: 'r' });
      expect(listing.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('59');
      clock.now = 59_999;
      expect((await imds(url, 'GET', `${CREDENTIALS}/r`, token)).status).toBe(200);
      clock.now = 60_000;
      expect(await imds(url, 'GET', `${CREDENTIALS}/r`, token)).toMatchObject({ status: 401, body: 'invalid token provided' });
    });
  });

  it('says "no token provided" for an empty token header, as for none', async () => {
    await withServer(async (url) => {
      expect(await imds(url, 'GET', `${CREDENTIALS}/r`, { 'X-aws-ec2-metadata-token': '' })).toMatchObject({ status: 401, body: 'no token provided' });
    });
  });

  it('serves a role only under security-credentials/, not at a path that merely starts with it', async () => {
    await withServer(async (url) => {
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(url) };
      expect((await imds(url, 'GET', `${CREDENTIALS}/r`, token)).status).toBe(200);
      for (const path of [`${CREDENTIALS}-r`, `${CREDENTIALS}Xr`, '/latest/meta-data/iam/security-credential/r']) {
        expect(await imds(url, 'GET', path, token)).toMatchObject({ status: 404, body: '404 page not found\n' });
      }
    });
  });
});

// Mutation sweep (mutout): a document rendered once and kept across refreshes passed every unit test.
describe('IMDS credentials after a refresh', () => {
  it('answers the new credentials and their LastUpdated once they change, not the document rendered before', async () => {
    let held = credentials;
    let updated = new Date('2030-01-01T00:00:00Z');
    const refreshed: ServedRole = { name: 'r', credentials: () => held, lastUpdated: () => updated };
    const running = await startImdsServer({ addresses: ['127.0.0.1'], port: 0, logger: silentLogger, region: 'eu-west-1', roles: [refreshed] });
    try {
      const url = `http://127.0.0.1:${running.port}`;
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(url) };
      const get = async () => {
        const { AccessKeyId, LastUpdated } = JSON.parse((await imds(url, 'GET', `${CREDENTIALS}/r`, token)).body);
        return { AccessKeyId, LastUpdated: new Date(LastUpdated).toISOString() }; // written in local time
      };
      expect(await get()).toEqual({ AccessKeyId: 'ASIAUNIT', LastUpdated: '2030-01-01T00:00:00.000Z' });
      held = { ...credentials, accessKeyId: 'ASIANEXT' };
      updated = new Date('2030-01-01T00:40:00Z');
      expect(await get()).toEqual({ AccessKeyId: 'ASIANEXT', LastUpdated: '2030-01-01T00:40:00.000Z' });
      // The same credentials, obtained again (a refresh that got the same ones): the time they were.
      updated = new Date('2030-01-01T01:20:00Z');
      expect(await get()).toEqual({ AccessKeyId: 'ASIANEXT', LastUpdated: '2030-01-01T01:20:00.000Z' });
    } finally {
      await running.close();
    }
  });
});
