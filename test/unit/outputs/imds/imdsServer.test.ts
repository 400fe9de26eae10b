import type { Socket } from 'node:net';
import { silentLogger } from '../../../../src/log/logger.js';
import { describe, expect, it } from 'vitest';
import type { TemporaryCredentials } from '../../../../src/temporaryCredentials.js';
import { loadSocketTtl, socketFd } from '../../../../src/outputs/imds/hopLimit.js';
import { rfc3339 } from '../../../../src/outputs/imds/credentialsDocument.js';
import { startImdsServer } from '../../../../src/outputs/imds/imdsServer.js';
import { TokenStore } from '../../../../src/outputs/imds/tokenStore.js';
import { imds, imdsToken } from '../../../support/imdsClient.js';

const credentials: TemporaryCredentials = {
  accessKeyId: 'ASIAUNIT',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: new Date('2030-01-01T00:00:00Z'),
  expirationText: '2030-01-01T00:00:00Z',
};

describe('the IMDS server', () => {
  it('finishes a request in flight when it is closed, and accepts no new connection', async () => {
    let release!: () => void;
    const slow = new Promise<TemporaryCredentials>((resolve) => (release = () => resolve(credentials)));
    const running = await startImdsServer({ host: '127.0.0.1',
      logger: silentLogger, port: 0, roleName: 'r', credentials: () => slow, lastUpdated: () => new Date() });
    const url = `http://127.0.0.1:${running.port}`;
    const token = await imdsToken(url);
    const inFlight = imds(url, 'GET', '/latest/meta-data/iam/security-credentials/r', { 'X-aws-ec2-metadata-token': token });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = running.close();
    await expect(imds(url, 'GET', '/latest/api/token')).rejects.toThrow(/ECONNREFUSED/);
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).AccessKeyId).toBe('ASIAUNIT');
    await closed;
  });

  it('answers 500 with the reason when there are no valid credentials, never empty ones', async () => {
    const running = await startImdsServer({
      host: '127.0.0.1',
      logger: silentLogger, port: 0, roleName: 'r', lastUpdated: () => new Date(),
      credentials: () => {
        throw new Error('the credentials expired at 2030-01-01T00:00:00Z and refreshing them fails: endpoint down');
      },
    });
    try {
      const url = `http://127.0.0.1:${running.port}`;
      const response = await imds(url, 'GET', '/latest/meta-data/iam/security-credentials/r', { 'X-aws-ec2-metadata-token': await imdsToken(url) });
      expect(response).toMatchObject({ status: 500, body: 'unable to obtain credentials: the credentials expired at 2030-01-01T00:00:00Z and refreshing them fails: endpoint down\n' });
    } finally {
      await running.close();
    }
  });

  it('applies the hop limit to the listening socket and to every accepted one', async () => {
    const addon = loadSocketTtl()!; // built by npm ci here (scripts/setup.sh)
    const seen: number[] = [];
    const running = await startImdsServer({
      host: '127.0.0.1',
      logger: silentLogger, port: 0, roleName: 'r', credentials: () => credentials, lastUpdated: () => new Date(),
      onSocket: (fd) => addon.setHopLimit(fd, 7),
    });
    running.server.on('connection', (socket: Socket) => seen.push(addon.getHopLimit(socketFd(socket)!)));
    try {
      expect(addon.getHopLimit(socketFd(running.server)!)).toBe(7);
      await imdsToken(`http://127.0.0.1:${running.port}`);
      await imdsToken(`http://127.0.0.1:${running.port}`);
      expect(seen).toEqual([7, 7]);
    } finally {
      await running.close();
    }
  });
});

describe('TokenStore', () => {
  it('holds at most 256 tokens, dropping the earliest-expiring first', () => {
    let now = 0;
    const store = new TokenStore(() => now);
    const long = store.issue(21600);
    const tokens = Array.from({ length: 300 }, (_, i) => store.issue(100 + i));
    expect(store.size).toBe(256);
    expect(store.remainingSeconds(long)).toBe(21600);
    expect(store.remainingSeconds(tokens[0]!)).toBeUndefined();
    expect(store.remainingSeconds(tokens[299]!)).toBe(399);
    now = 400_000;
    expect(store.remainingSeconds(tokens[299]!)).toBeUndefined();
    expect(store.remainingSeconds(long)).toBe(21200);
  });
});

describe('rfc3339', () => {
  it('renders Go RFC3339Nano: no zero fractions, Z or the local offset', () => {
    expect(rfc3339(new Date('2022-07-27T04:36:55.000Z'), 0)).toBe('2022-07-27T04:36:55Z');
    expect(rfc3339(new Date('2022-07-27T04:36:55.120Z'), 0)).toBe('2022-07-27T04:36:55.12Z');
    expect(rfc3339(new Date('2022-07-27T04:36:55.000Z'), -120)).toBe('2022-07-27T06:36:55+02:00');
    expect(rfc3339(new Date('2022-07-27T04:36:55.5Z'), 330)).toBe('2022-07-26T23:06:55.5-05:30');
  });
});
