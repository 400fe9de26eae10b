import { Agent, get, Server } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../src/log/logger.js';
import { startLocalServer } from '../../../../src/outputs/httpServer/localServer.js';
import { imds } from '../../../support/imdsClient.js';
import { keptConnection } from '../../../support/keptConnection.js';
import { openConnection, rawHttp } from '../../../support/rawHttp.js';

const hello = (_: unknown, res: import('node:http').ServerResponse) => {
  res.end('hello');
};

describe('startLocalServer', () => {
  it('listens on two addresses on one port (the dual loopback)', async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1', '::1'], port: 0, logger: silentLogger });
    try {
      expect(running.servers).toHaveLength(2);
      expect((await imds(`http://127.0.0.1:${running.port}`, 'GET', '/')).body).toBe('hello');
      expect((await imds(`http://[::1]:${running.port}`, 'GET', '/')).body).toBe('hello');
    } finally {
      await running.close();
    }
  });

  it("closes the idle connections before the server, as Node's close() does: Bun 1.2's threw when asked after (serve stopping of a signal with an internal error, exit 1; QA: runtimes)", async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => get({ host: '127.0.0.1', port: running.port, path: '/', agent }, (res) => res.resume().on('end', resolve)).on('error', reject));
    const original = Server.prototype.closeIdleConnections;
    // As Bun 1.2.23's: once the server no longer listens, the call fails.
    const spy = vi.spyOn(Server.prototype, 'closeIdleConnections').mockImplementation(function (this: Server) {
      if (!this.listening) throw new TypeError("undefined is not an object (evaluating 'serverSymbol')");
      original.call(this);
    });
    try {
      await expect(running.close()).resolves.toBeUndefined();
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      agent.destroy();
    }
  });

  it('a stop lets the answer in flight finish, closing its keep-alive connection, and ends without waiting out the drain time', async () => {
    let answer!: () => void;
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const slow = async (_: unknown, res: import('node:http').ServerResponse) => {
      await gate;
      res.end('late');
    };
    // A drain time past the test's own timeout: a stop that waited it out would fail the test.
    const running = await startLocalServer(slow, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger, drainMs: 60_000 });
    const agent = new Agent({ keepAlive: true });
    try {
      const response = new Promise<{ connection?: string; body: string }>((resolve, reject) => {
        get({ host: '127.0.0.1', port: running.port, path: '/', agent }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk));
          res.on('end', () => resolve({ connection: res.headers.connection, body }));
        }).on('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 100)); // the request is in
      const stopped = running.close();
      answer();
      expect(await response).toEqual({ connection: 'close', body: 'late' });
      await stopped;
    } finally {
      agent.destroy();
    }
  });

  // Mutation sweep (mutout): a default drain time of 50 ms passed every test, each of which gives its own.
  it('by default lets an answer in flight take some time to finish after a stop (5 s, as upstream)', async () => {
    const slow = async (_: unknown, res: import('node:http').ServerResponse) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      res.end('late');
    };
    const running = await startLocalServer(slow, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger });
    const response = imds(`http://127.0.0.1:${running.port}`, 'GET', '/');
    await new Promise((resolve) => setTimeout(resolve, 100)); // the request is in
    await running.close();
    expect(await response).toMatchObject({ status: 200, body: 'late' });
  });

  it("keeps an idle kept-alive connection open past Node's default keep-alive time (closed 6 s after an answer: a client reusing it then got ECONNRESET)", async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger });
    try {
      const kept = await keptConnection(running.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 6500);
      expect(kept.closedWhileIdle).toBe(false);
      expect(kept.second).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nhello$/);
      // No Keep-Alive hint: there is no idle time to announce (upstream's Go server sends none either).
      expect(kept.first).toMatch(/\r\nConnection: keep-alive\r\n/);
      expect(kept.first).not.toMatch(/\r\nKeep-Alive:/i);
    } finally {
      await running.close();
    }
  }, 20_000);

  it('a crowd of idle kept-alive connections is closed to make room for a new one (another local user could hold them open)', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (line: string) => warnings.push(line) };
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger, limits: { connections: 10, requestMs: 2000 } });
    try {
      // Eight kept open after an answer each: below nine tenths of the limit, they stay.
      const idle = await Promise.all(Array.from({ length: 8 }, () => openConnection(running.port)));
      for (const connection of idle) expect(await connection.ask('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toMatch(/\r\n\r\nhello$/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(idle.filter((connection) => connection.closed())).toHaveLength(0);
      // The ninth reaches nine tenths: the idle ones are closed, and it is answered.
      const ninth = await openConnection(running.port);
      expect(await ninth.ask('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toMatch(/\r\n\r\nhello$/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(idle.filter((connection) => connection.closed())).toHaveLength(8);
      expect(ninth.closed()).toBe(false);
      expect(warnings).toEqual([]);
      ninth.destroy();
      // One whose next request has begun to arrive is not idle (review: it was reset unanswered).
      const answered = await openConnection(running.port);
      expect(await answered.ask('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toMatch(/\r\n\r\nhello$/);
      answered.send('GET / HTTP/1.1\r\nHo');
      const crowd = await Promise.all(Array.from({ length: 8 }, () => openConnection(running.port)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(answered.closed()).toBe(false);
      expect(await answered.ask('st: 127.0.0.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nhello$/);
      for (const connection of [answered, ...crowd]) connection.destroy();
    } finally {
      await running.close();
    }
  });

  it('connections sending their headers slowly: past the limit new ones are refused (said once), and each is answered 408 and closed once its time is up', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (line: string) => warnings.push(line) };
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger, limits: { connections: 5, requestMs: 1500 } });
    try {
      const slow = await Promise.all(Array.from({ length: 5 }, () => openConnection(running.port)));
      for (const connection of slow) connection.send('GET / HTTP/1.1\r\nHost: 127.0');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const refused = await Promise.all(Array.from({ length: 2 }, () => openConnection(running.port)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(refused.map((connection) => connection.closed())).toEqual([true, true]);
      expect(warnings).toEqual(['5 connections are open on 127.0.0.1, the most it takes: new ones are refused until some close']);
      // Within 1.5 s and Node's check each second, each slow one is answered 408 and closed.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      for (const connection of slow) {
        expect(connection.closed()).toBe(true);
        expect(connection.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      }
      const later = await openConnection(running.port);
      expect(await later.ask('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toMatch(/\r\n\r\nhello$/);
      later.destroy();
    } finally {
      await running.close();
    }
  }, 15_000);

  it('the request time limit leaves idle kept-alive connections open, and closes a new one that sends nothing', async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger, limits: { requestMs: 1000 } });
    try {
      const silent = await openConnection(running.port);
      const kept = await keptConnection(running.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 3000);
      expect(kept.closedWhileIdle).toBe(false);
      expect(kept.second).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nhello$/);
      expect(silent.closed()).toBe(true);
    } finally {
      await running.close();
    }
  }, 15_000);

  it('a stop closes an idle kept-alive connection at once, without waiting out the drain time', async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger, drainMs: 60_000 });
    const agent = new Agent({ keepAlive: true });
    try {
      // In an object: a promise resolved with a promise would wait for it.
      const { socketClosed } = await new Promise<{ socketClosed: Promise<void> }>((resolve, reject) => {
        const req = get({ host: '127.0.0.1', port: running.port, path: '/', agent }, (res) => {
          const { socket } = res;
          res.resume();
          res.on('end', () => resolve({ socketClosed: new Promise<void>((closed) => socket.once('close', () => closed())) }));
        });
        req.on('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 50)); // the connection is idle
      const started = Date.now();
      await running.close();
      await socketClosed;
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      agent.destroy();
    }
  });

  it('a stop closes a connection that has sent nothing yet at once, and waits for one whose request has begun (QA: serve took 5 s to stop)', async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger, drainMs: 1500 });
    const silent = await openConnection(running.port);
    const begun = await openConnection(running.port);
    begun.send('GET / HTTP/1.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100)); // both accepted, the second's bytes read
    const started = Date.now();
    const stopped = running.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(silent.closed()).toBe(true);
    expect(begun.closed()).toBe(false);
    await stopped;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    await vi.waitFor(() => expect(begun.closed()).toBe(true));
  });

  // Mutation sweep (mutout): the answer to a request that completed after the stop began, left keeping its connection, passed every test.
  it('answers a request that completes once a stop has begun with Connection: close, so that its connection ends with it', async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger, drainMs: 30_000 });
    const begun = await openConnection(running.port);
    begun.send('GET / HTTP/1.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100)); // accepted, its first bytes read
    const stopped = running.close();
    const answer = await begun.ask('Host: 127.0.0.1\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/);
    await stopped;
    // Its close reaches this end a moment after the server's (a CI run on Node 22 looked too soon).
    await vi.waitFor(() => expect(begun.closed()).toBe(true), { timeout: 2000 });
  });

  it('an address in use: one line naming it, and nothing left listening', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '::1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const starting = startLocalServer(hello, { addresses: ['127.0.0.1', '::1'], port, logger: silentLogger });
      await expect(starting).rejects.toThrow(`failed to create listener on [::1]:${port}: address already in use`);
      await expect(imds(`http://127.0.0.1:${port}`, 'GET', '/')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      taken.close();
    }
  });

  it('an address of no interface here', async () => {
    await expect(startLocalServer(hello, { addresses: ['198.51.100.7'], port: 0, logger: silentLogger })).rejects.toThrow(
      'failed to create listener on 198.51.100.7:0: no interface of this machine has that address',
    );
  });

  it('leaves out an optional address of no interface here (localhost\'s ::1 where IPv6 is off), saying so at debug, and listens on the others', async () => {
    const debug: string[] = [];
    const logger = { ...silentLogger, debug: (line: string) => debug.push(line) };
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1', '198.51.100.7'], optional: ['198.51.100.7'], port: 0, logger });
    try {
      expect(running.servers).toHaveLength(1);
      expect((await imds(`http://127.0.0.1:${running.port}`, 'GET', '/')).body).toBe('hello');
      expect(debug).toEqual(['not listening on 198.51.100.7, which this machine does not have (EADDRNOTAVAIL)']);
    } finally {
      await running.close();
    }
    // Optional or not, an address in use is a failure.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '::1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      await expect(startLocalServer(hello, { addresses: ['127.0.0.1', '::1'], optional: ['::1'], port, logger: silentLogger })).rejects.toThrow(
        `failed to create listener on [::1]:${port}: address already in use`,
      );
    } finally {
      taken.close();
    }
  });

  it('answers pipelined requests up to and with one that says Connection: close, then closes, the requests after it unanswered (RFC 9112 §9.6; fuzzing: Node dropped the answer of the closing one)', async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger });
    try {
      const get = (extra = '') => `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;
      const answer = await rawHttp(running.port, get() + get('Connection: close\r\n') + get());
      expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
      expect(answer).toMatch(/hello(HTTP\/1\.1 200 OK\r\n[^]*\r\nConnection: close\r\n[^]*\r\n\r\nhello)$/);
    } finally {
      await running.close();
    }
  });

  it('answers a request it cannot read behind pipelined ones after their answers, a late one too, then closes (fuzzing: the answers were cut off)', async () => {
    const late = async (_: unknown, res: import('node:http').ServerResponse) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      res.end('hello');
    };
    const running = await startLocalServer(late, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger });
    try {
      const get = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
      const answer = await rawHttp(running.port, `${get}${get}GET / HTTP/1.1\r\nno colon\r\n\r\n${get}`);
      expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 400']);
      expect(answer).toMatch(/\r\n\r\nhello(HTTP\/1\.1 200 [^]*\r\n\r\nhello)HTTP\/1\.1 400 Bad Request\r\n[^]*\r\n\r\nthe request is not valid HTTP\/1\.1\n$/);
    } finally {
      await running.close();
    }
  });

  it('gives a request whose body cannot be read, answered already, no second answer: its connection closes after the one it has (fuzzing: a 400 followed the 200)', async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger });
    try {
      const answer = await rawHttp(running.port, 'PUT / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\nabc');
      expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200']);
    } finally {
      await running.close();
    }
  });

  it('gives a request answered before its body came, which then does not come in time, no 408 after its answer: its connection closes (fuzzing)', async () => {
    const running = await startLocalServer(hello, { addresses: ['127.0.0.1'], port: 0, logger: silentLogger, limits: { requestMs: 1000 } });
    try {
      const answer = await rawHttp(running.port, 'PUT / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nab');
      expect(answer.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200']);
    } finally {
      await running.close();
    }
  }, 15_000);

  it('a handler that throws: 500, and the error logged without the headers', async () => {
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (message: string) => errors.push(message) };
    const running = await startLocalServer(
      () => {
        throw new Error('boom');
      },
      { addresses: ['127.0.0.1'], port: 0, logger },
    );
    try {
      expect(await imds(`http://127.0.0.1:${running.port}`, 'GET', '/x?y', { Authorization: 'secret-token' })).toMatchObject({ status: 500, body: 'internal error\n' });
      expect(errors).toEqual(['internal error answering GET /x?y: boom']);
    } finally {
      await running.close();
    }
  });
});
