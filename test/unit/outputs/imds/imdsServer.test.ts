import { connect, type Socket } from 'node:net';
import { silentLogger } from '../../../../src/log/logger.js';
import { describe, expect, it, vi } from 'vitest';
import type { TemporaryCredentials } from '../../../../src/temporaryCredentials.js';
import { loadSocketTtl, socketFd } from '../../../../src/outputs/httpServer/socketTtl.js';
import type { ServedRole } from '../../../../src/outputs/httpServer/servedRole.js';
import { startImdsServer } from '../../../../src/outputs/imds/imdsServer.js';
import { TokenStore } from '../../../../src/outputs/imds/tokenStore.js';
import { imds, imdsToken } from '../../../support/imdsClient.js';
import { parseAnswer, rawHttp } from '../../../support/rawHttp.js';

const credentials: TemporaryCredentials = {
  accessKeyId: 'ASIAUNIT',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: new Date('2030-01-01T00:00:00Z'),
  expirationText: '2030-01-01T00:00:00Z',
};

/** A served role `r` (or another name) whose credentials come from `get`. */
const role = (get: ServedRole['credentials'] = () => credentials, name = 'r'): ServedRole => ({ name, credentials: get, lastUpdated: () => new Date() });
const LOCAL = { addresses: ['127.0.0.1'], port: 0, logger: silentLogger, region: 'eu-west-1' };

/** An IMDS server of these roles on a clock the test moves (`clock.now`, in milliseconds), closed after `use`. */
async function withServer(roles: ServedRole[], use: (url: string, clock: { now: number }) => Promise<void>) {
  const clock = { now: 0 };
  const running = await startImdsServer({ ...LOCAL, roles, now: () => clock.now });
  try {
    await use(`http://127.0.0.1:${running.port}`, clock);
  } finally {
    await running.close();
  }
}

describe('the IMDS server', () => {
  it('finishes a request in flight when it is closed, and accepts no new connection', async () => {
    let release!: () => void;
    const slow = new Promise<TemporaryCredentials>((resolve) => (release = () => resolve(credentials)));
    const running = await startImdsServer({ ...LOCAL, roles: [role(() => slow)] });
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

  it("logs the reference's lines about tokens: a credentials request refused for its token, and each expired token swept, never the token", async () => {
    vi.useFakeTimers({ toFake: ['setInterval'] });
    const lines: string[] = [];
    let now = Date.now();
    const logger = { ...silentLogger, info: (line: string) => lines.push(line) };
    const running = await startImdsServer({ ...LOCAL, logger, now: () => now, roles: [role()] });
    try {
      const url = `http://127.0.0.1:${running.port}`;
      const path = '/latest/meta-data/iam/security-credentials/r';
      expect((await imds(url, 'GET', path, { 'X-aws-ec2-metadata-token': 'made-up' })).status).toBe(401);
      expect((await imds(url, 'GET', path)).status).toBe(401);
      // The role listing refuses as well, without the credentials handler's line.
      expect((await imds(url, 'GET', '/latest/meta-data/iam/security-credentials', { 'X-aws-ec2-metadata-token': 'made-up' })).status).toBe(401);
      expect(lines).toEqual(['Token validation received error: invalid token provided', 'Token validation received error: no token provided']);
      const tokens = [await imdsToken(url, '1'), await imdsToken(url, '1'), await imdsToken(url, '60')];
      now += 2000;
      vi.advanceTimersByTime(5000);
      expect(lines.slice(2)).toEqual(['removed an expired token', 'removed an expired token']);
      expect(lines.join('\n')).not.toContain(tokens[0]);
    } finally {
      vi.useRealTimers();
      await running.close();
    }
  });

  it('answers 500 with the reason when there are no valid credentials, never empty ones', async () => {
    const failing = role(() => {
      throw new Error('the credentials expired at 2030-01-01T00:00:00Z and refreshing them fails: endpoint down');
    });
    await withServer([failing], async (url) => {
      const response = await imds(url, 'GET', '/latest/meta-data/iam/security-credentials/r', { 'X-aws-ec2-metadata-token': await imdsToken(url) });
      expect(response).toMatchObject({ status: 500, body: 'unable to obtain credentials: the credentials expired at 2030-01-01T00:00:00Z and refreshing them fails: endpoint down\n' });
    });
  });

  it('applies the hop limit to the listening socket and to every accepted one', async () => {
    const addon = loadSocketTtl()!; // built by npm ci here (scripts/setup.sh)
    const seen: number[] = [];
    const running = await startImdsServer({ ...LOCAL, roles: [role()], onSocket: (fd) => addon.setHopLimit(fd, 7) });
    running.servers[0]!.on('connection', (socket: Socket) => seen.push(addon.getHopLimit(socketFd(socket)!)));
    try {
      expect(addon.getHopLimit(socketFd(running.servers[0]!)!)).toBe(7);
      await imdsToken(`http://127.0.0.1:${running.port}`);
      await imdsToken(`http://127.0.0.1:${running.port}`);
      expect(seen).toEqual([7, 7]);
    } finally {
      await running.close();
    }
  });
});

describe('the IMDS server with several roles, and the Region (issue 14)', () => {
  const other: TemporaryCredentials = { ...credentials, accessKeyId: 'ASIAOTHER' };

  it('lists the role names one a line, and answers each role its own credentials', async () => {
    await withServer([role(() => credentials, 'reader'), role(() => other, 'writer')], async (url) => {
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(url) };
      expect(await imds(url, 'GET', '/latest/meta-data/iam/security-credentials/', token)).toMatchObject({ status: 200, body: 'reader\nwriter' });
      const reader = await imds(url, 'GET', '/latest/meta-data/iam/security-credentials/reader', token);
      const writer = await imds(url, 'GET', '/latest/meta-data/iam/security-credentials/writer/', token);
      expect(JSON.parse(reader.body).AccessKeyId).toBe('ASIAUNIT');
      expect(JSON.parse(writer.body).AccessKeyId).toBe('ASIAOTHER');
      expect((await imds(url, 'GET', '/latest/meta-data/iam/security-credentials/reader/writer', token)).status).toBe(404);
    });
  });

  it('answers the Region with a token, and 404 for the availability zone, which nothing here knows', async () => {
    await withServer([role()], async (url) => {
      expect(await imds(url, 'GET', '/latest/meta-data/placement/region')).toMatchObject({ status: 401, body: 'no token provided' });
      const token = { 'X-aws-ec2-metadata-token': await imdsToken(url) };
      const region = await imds(url, 'GET', '/latest/meta-data/placement/region', token);
      expect(region).toMatchObject({ status: 200, body: 'eu-west-1' });
      expect(region.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect((await imds(url, 'PUT', '/latest/meta-data/placement/region', token)).status).toBe(405);
      expect(await imds(url, 'GET', '/latest/meta-data/placement/availability-zone', token)).toMatchObject({ status: 404, body: '404 page not found\n' });
    });
  });
});

describe('the IMDS server under attack (issue 13)', () => {
  const start = (options: { drainMs?: number; credentials?: () => TemporaryCredentials | Promise<TemporaryCredentials> } = {}) =>
    startImdsServer({ ...LOCAL, roles: [role(options.credentials)], drainMs: options.drainMs });

  it.each([['127.0.0.1'], ['127.0.0.1:9911'], ['localhost'], ['LOCALHOST:80'], ['[::1]'], ['[::1]:9911']])(
    'serves Host: %s (item 13)',
    async (host) => {
      const running = await start();
      try {
        const url = `http://127.0.0.1:${running.port}`;
        const token = await imdsToken(url);
        const response = await imds(url, 'GET', '/latest/meta-data/iam/security-credentials/r', { 'X-aws-ec2-metadata-token': token, Host: host });
        expect(response.status).toBe(200);
      } finally {
        await running.close();
      }
    },
  );

  it.each([['rebind.attacker.example'], ['rebind.attacker.example:9911'], ['127.0.0.1.attacker.example'], ['localhost.'], ['127.0.0.2'], ['[::2]:9911'], ['127.0.0.1:x']])(
    'answers 400 to Host: %j, a DNS-rebinding page\'s request, and issues no token (item 13)',
    async (host) => {
      const running = await start();
      try {
        const url = `http://127.0.0.1:${running.port}`;
        const tokenRequest = await imds(url, 'PUT', '/latest/api/token', { 'X-aws-ec2-metadata-token-ttl-seconds': '60', Host: host });
        expect(tokenRequest).toMatchObject({ status: 400, body: 'invalid Host header: only 127.0.0.1, localhost, [::1], 169.254.169.254 and [fd00:ec2::254] are answered\n' });
        const token = await imdsToken(url);
        const credentialsRequest = await imds(url, 'GET', '/latest/meta-data/iam/security-credentials/r', { 'X-aws-ec2-metadata-token': token, Host: host });
        expect(credentialsRequest.status).toBe(400);
        expect(credentialsRequest.body).not.toContain('ASIAUNIT');
      } finally {
        await running.close();
      }
    },
  );

  it('answers 400 to a request without a Host header (HTTP/1.0) (item 13)', async () => {
    const running = await start();
    try {
      const socket = connect(running.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      socket.write('PUT /latest/api/token HTTP/1.0\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n');
      await new Promise((resolve) => socket.once('close', resolve));
      expect(answer).toMatch(/^HTTP\/1\.1 400 [^]*\r\n\r\ninvalid Host header/);
    } finally {
      await running.close();
    }
  });

  it.each([['127.0.0.1', 'rebind.attacker.example'], ['rebind.attacker.example', '127.0.0.1'], ['127.0.0.1', '127.0.0.1']])(
    'answers 400 to a request with two Host headers (%s, %s), as RFC 9112 §3.2 requires and the reference\'s Go server does (fuzzing: Node kept the first)',
    async (first, second) => {
      const running = await start();
      try {
        const answer = parseAnswer(await rawHttp(running.port, `PUT /latest/api/token HTTP/1.1\r\nHost: ${first}\r\nhost: ${second}\r\nConnection: close\r\n\r\n`));
        expect(answer.status).toBe(400);
        expect(answer.body).toMatch(/^invalid Host header/);
      } finally {
        await running.close();
      }
    },
  );

  it('counts Host headers by name only: one whose value is "host" is one (mutation sweep)', async () => {
    const running = await start();
    try {
      const answer = parseAnswer(await rawHttp(running.port, 'PUT /latest/api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: host\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\nConnection: close\r\n\r\n'));
      expect(answer.status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('routes an absolute-form request target on its path, its authority checked as the Host header is (RFC 9112 §3.2.2)', async () => {
    const running = await start();
    const origin = `http://127.0.0.1:${running.port}`;
    const send = async (method: string, target: string, headers: string) =>
      parseAnswer(await rawHttp(running.port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`));
    try {
      const token = await send('PUT', `${origin}/latest/api/token`, 'X-aws-ec2-metadata-token-ttl-seconds: 60\r\n');
      expect(token.status).toBe(200);
      const answer = await send('GET', `${origin}/latest/meta-data/iam/security-credentials/r`, `X-aws-ec2-metadata-token: ${token.body}\r\n`);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).AccessKeyId).toBe('ASIAUNIT');
      const rebound = await send('PUT', 'http://attacker.example/latest/api/token', '');
      expect(rebound.status).toBe(400);
      expect(rebound.body).toMatch(/^invalid Host header/);
    } finally {
      await running.close();
    }
  });

  it('answers a 405 with Allow, and a request without Host in its own words, not Node\'s empty 400', async () => {
    const running = await start();
    const url = `http://127.0.0.1:${running.port}`;
    try {
      expect((await imds(url, 'GET', '/latest/api/token')).headers.allow).toBe('PUT');
      expect((await imds(url, 'PUT', '/latest/meta-data/placement/region')).headers.allow).toBe('GET');
      const noHost = parseAnswer(await rawHttp(running.port, 'PUT /latest/api/token HTTP/1.1\r\nConnection: close\r\n\r\n'));
      expect(noHost.status).toBe(400);
      expect(noHost.body).toMatch(/^invalid Host header: only 127\.0\.0\.1, /);
      const large = parseAnswer(await rawHttp(running.port, `PUT /latest/api/token HTTP/1.1\r\nX-Large: ${'a'.repeat(20_000)}\r\n\r\n`));
      expect(large).toMatchObject({ status: 431, body: "the request's headers are too large\n" });
    } finally {
      await running.close();
    }
  });

  it('closes within the drain time a connection whose request never completes (item 14)', async () => {
    const running = await start({ drainMs: 300 });
    const socket = connect(running.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /latest/api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // and never the rest
    const closedAt = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await running.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await closedAt) - started).toBeLessThan(2000);
  });

  it('still answers a slow request that completes within the drain time (item 14)', async () => {
    let release!: () => void;
    const slow = new Promise<TemporaryCredentials>((resolve) => (release = () => resolve(credentials)));
    const running = await start({ drainMs: 2000, credentials: () => slow });
    const url = `http://127.0.0.1:${running.port}`;
    const token = await imdsToken(url);
    const inFlight = imds(url, 'GET', '/latest/meta-data/iam/security-credentials/r', { 'X-aws-ec2-metadata-token': token });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = running.close();
    setTimeout(release, 300);
    expect((await inFlight).status).toBe(200);
    await closed;
  });
});

describe('TokenStore', () => {
  it('holds at most 256 tokens, dropping the earliest-expiring first', () => {
    let now = 0;
    const store = new TokenStore(() => now);
    const long = store.issue(21600);
    const tokens = Array.from({ length: 300 }, (_, i) => store.issue(100 + i));
    expect(store.remainingSeconds(long)).toBe(21600);
    // 301 issued, 256 kept: the 45 that expire first are gone.
    expect(store.remainingSeconds(tokens[0]!)).toBeUndefined();
    expect(store.remainingSeconds(tokens[44]!)).toBeUndefined();
    expect(store.remainingSeconds(tokens[45]!)).toBe(145);
    expect(store.remainingSeconds(tokens[299]!)).toBe(399);
    now = 400_000;
    expect(store.remainingSeconds(tokens[299]!)).toBeUndefined();
    expect(store.remainingSeconds(long)).toBe(21200);
  });
});

const TTL = 'X-aws-ec2-metadata-token-ttl-seconds';
const CREDENTIALS = '/latest/meta-data/iam/security-credentials';

// Mutation sweep (mutout): each of these passed every unit test when changed.
describe('IMDS tokens, as the reference issues and checks them', () => {
  it('issues a token to PUT only: GET and POST of the token path are 405, saying Allow: PUT', async () => {
    await withServer([role()], async (url) => {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const response = await imds(url, method, '/latest/api/token', { [TTL]: '60' });
        expect(response).toMatchObject({ status: 405, body: '' });
        expect(response.headers.allow).toBe('PUT');
      }
    });
  });

  it('takes a missing or empty TTL header as 21600 s, and echoes the TTL as it was sent (+60)', async () => {
    await withServer([role()], async (url, clock) => {
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
    await withServer([role()], async (url, clock) => {
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
    await withServer([role()], async (url) => {
      expect(await imds(url, 'GET', `${CREDENTIALS}/r`, { 'X-aws-ec2-metadata-token': '' })).toMatchObject({ status: 401, body: 'no token provided' });
    });
  });

  it('serves a role only under security-credentials/, not at a path that merely starts with it', async () => {
    await withServer([role()], async (url) => {
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
    await withServer([refreshed], async (url) => {
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
    });
  });
});
