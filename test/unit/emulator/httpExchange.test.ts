import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/emulator.js';
import { parseAnswer, rawHttp } from '../../support/rawHttp.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({});
});
afterAll(async () => emulator.close());

/** Sends `<method> <target> HTTP/1.1` as written (no client rewrites the target) and reads the whole answer. */
async function rawRequest(method: string, target: string, body = '') {
  const { hostname, port } = new URL(emulator.url);
  const request = `${method} ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  return parseAnswer(await rawHttp(Number(port), request));
}

describe('the emulator reads any request target the HTTP parser lets through, and answers it', () => {
  it.each(['//', '///', '//[', '//a:99999/', '//%zz/', '//x'])('%s is a path (not a host), answered 501 in the service\'s shape', async (target) => {
    for (const method of ['GET', 'POST']) {
      const answer = await rawRequest(method, target);
      expect(answer.status).toBe(501);
      expect(answer.headers['x-amzn-errortype']).toBe('NotImplemented');
      expect(JSON.parse(answer.body)).toEqual({ message: expect.stringContaining(`The emulator does not answer ${method} ${target}:`) });
    }
  });

  it('//sessions is not CreateSession\'s /sessions read with the host "sessions", and the management API\'s //profiles not its /profiles', async () => {
    // A path ending in /sessions is routed to CreateSession, which refuses it unsigned.
    expect(await rawRequest('POST', '//sessions', '{}')).toMatchObject({ status: 403, body: '{"message":"Missing Authorization header"}' });
    expect((await rawRequest('GET', '//profiles')).status).toBe(501);
    // CreateSession is a POST: a GET of /sessions is no operation (mutation testing: answered as CreateSession, unseen).
    expect(await rawRequest('GET', '/sessions')).toMatchObject({ status: 501, headers: { 'x-amzn-errortype': 'NotImplemented' } });
  });

  it.each(['http://[/', 'http://a:99999/', 'http://%zz/'])('an absolute URL that does not parse, %s, is a path it does not route either', async (target) => {
    const answer = await rawRequest('GET', target);
    expect(answer.status).toBe(501);
    expect(answer.headers['x-amzn-errortype']).toBe('NotImplemented');
    expect(JSON.parse(answer.body)).toEqual({ message: expect.stringContaining(`The emulator does not answer GET ${target}:`) });
    expect(emulator.rejections.at(-1)).toMatchObject({ operation: `GET ${target}`, status: 501, code: 'NotImplemented' });
  });

  it.each([
    ['GET', '/profile/..', 'profileId'],
    ['DELETE', '/profile/.', 'profileId'],
    ['GET', '/subject/..', 'subjectId'],
    ['POST', '/trustanchor/%2E%2E/enable', 'trustAnchorId'],
  ])('%s %s is an ID as the SDK sends it (.. and . are not percent-encoded), refused as no ID, not resolved as a URL (QA fuzz: GetProfile of .. was answered as STS, XML the SDK could not read)', async (method, target, idName) => {
    const answer = await rawRequest(method, target);
    expect(answer.status).toBe(400);
    expect(answer.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(JSON.parse(answer.body)).toEqual({ message: `${idName} must be a 36-character ID such as 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d` });
  });

  it('a path is read up to a fragment sent with it, as up to its query (review, mutation testing: a `#` kept in the path went unseen)', async () => {
    expect(await rawRequest('GET', '/profiles#top')).toMatchObject({ status: 200, body: '{"profiles":[]}' });
    expect(await rawRequest('GET', '/profiles?pageSize=1#top')).toMatchObject({ status: 200, body: '{"profiles":[]}' });
  });

  it('an absolute URL that parses is read by its path and query, as a proxy would pass it on', async () => {
    expect(await rawRequest('GET', `${emulator.url}/profiles?pageSize=1`)).toMatchObject({ status: 200, body: '{"profiles":[]}' });
  });

  it('still answers STS after all of them', async () => {
    const answer = await rawRequest('POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});

describe('a client that goes away before its body has arrived', () => {
  it('is not answered, and neither the emulator nor the process hosting it fails', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const { hostname, port } = new URL(emulator.url);
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(`POST / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: 100\r\n\r\nAction=`);
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('close', () => resolve());
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await rawRequest('GET', '/profiles')).status).toBe(200);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

describe('a body larger than any the services take (10 MiB)', () => {
  /** Sends a chunked body of `size` bytes (no length announced) and resolves with the answer, reading it as it comes. */
  const chunked = (size: number) =>
    new Promise<string>((resolve) => {
      const { hostname, port } = new URL(emulator.url);
      let answer = '';
      const socket = connect(Number(port), hostname, () => {
        socket.write(`POST /sessions HTTP/1.1\r\nHost: ${hostname}:${port}\r\nTransfer-Encoding: chunked\r\n\r\n`);
        const chunk = Buffer.alloc(1024 * 1024, 'a');
        const send = (left: number): void => {
          if (left <= 0 || socket.destroyed) return void socket.write('0\r\n\r\n', () => undefined);
          socket.write(`${chunk.length.toString(16)}\r\n`);
          socket.write(chunk);
          if (socket.write('\r\n')) send(left - chunk.length);
          else socket.once('drain', () => send(left - chunk.length));
        };
        send(size);
      });
      socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(answer));
    });

  it('is refused with 413 before it is read whole, announced or not, and the emulator goes on (QA: 600 MB ended it)', async () => {
    const announced = await rawRequest('POST', '/sessions', '');
    expect(announced.status).toBe(403); // an empty body: read, and refused for its signature
    const { hostname, port } = new URL(emulator.url);
    const tooLong = parseAnswer(await rawHttp(Number(port), `POST /sessions HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: ${10 * 1024 * 1024 + 1}\r\n\r\n`));
    expect(tooLong).toMatchObject({ status: 413, headers: { 'x-amzn-errortype': 'RequestEntityTooLarge', connection: 'close' } });
    expect(JSON.parse(tooLong.body)).toEqual({ message: 'the request body is larger than 10 MiB' });
    // Streamed, the body is read up to the bound: the client, still sending, may see a reset before the answer.
    const refused = emulator.rejections.length;
    const streamed = await chunked(64 * 1024 * 1024);
    if (streamed !== '') expect(parseAnswer(streamed).status).toBe(413);
    expect(emulator.rejections.slice(refused)).toEqual([
      { operation: 'POST /sessions', status: 413, code: 'RequestEntityTooLarge', message: 'the request body is larger than 10 MiB' },
    ]);
    // Up to the bound, a body is read: a 10 MiB one is refused for what it is, not for its size.
    const atBound = parseAnswer(await rawHttp(Number(port), `POST /sessions HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n${'a'.repeat(10 * 1024 * 1024)}`));
    expect(atBound.status).toBe(403);
    expect((await rawRequest('GET', '/profiles')).status).toBe(200);
  });

  it("is refused naming its path, not its query string, which a presigned STS URL's session token is in (QA fuzz: the log quoted X-Amz-Security-Token)", async () => {
    const { hostname, port } = new URL(emulator.url);
    const target = '/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=SESSION-TOKEN-SECRET';
    const answer = parseAnswer(await rawHttp(Number(port), `POST ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: ${10 * 1024 * 1024 + 1}\r\n\r\n`));
    expect(answer.status).toBe(413);
    expect(emulator.rejections.at(-1)).toEqual({ operation: 'POST /', status: 413, code: 'RequestEntityTooLarge', message: 'the request body is larger than 10 MiB' });
  });
});
