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
  });

  it.each(['http://[/', 'http://a:99999/', 'http://%zz/'])('an absolute URL that does not parse, %s, is a path it does not route either', async (target) => {
    const answer = await rawRequest('GET', target);
    expect(answer.status).toBe(501);
    expect(answer.headers['x-amzn-errortype']).toBe('NotImplemented');
    expect(JSON.parse(answer.body)).toEqual({ message: expect.stringContaining(`The emulator does not answer GET ${target}:`) });
    expect(emulator.rejections.at(-1)).toMatchObject({ operation: `GET ${target}`, status: 501, code: 'NotImplemented' });
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
