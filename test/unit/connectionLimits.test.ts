import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { limitConnections, requestTimeouts } from '../../src/connectionLimits.js';
import { silentLogger } from '../../src/log/logger.js';

/**
 * limitConnections on a stand-in server, which Node's own list of idle connections is not on: its
 * closeIdleConnections() counts the crowds, and its connections close when the test says.
 */
function limited(connections: number) {
  const server = Object.assign(new EventEmitter(), { maxConnections: 0, crowds: 0, closeIdleConnections: () => server.crowds++ });
  const warnings: string[] = [];
  limitConnections(server as unknown as Server, '127.0.0.1', { connections }, { ...silentLogger, warn: (line: string) => warnings.push(line) });
  const open = () => {
    const socket = new EventEmitter();
    server.emit('connection', socket);
    return () => socket.emit('close');
  };
  return { server, warnings, open };
}

describe('limitConnections (mutation sweep: its bounds could move with every test passing)', () => {
  it('takes the limit as the server\'s maxConnections, and closes idle connections from nine tenths of it on, rounded down', () => {
    const { server, open } = limited(5);
    expect(server.maxConnections).toBe(5);
    const closes = Array.from({ length: 3 }, open);
    expect(server.crowds).toBe(0);
    // Nine tenths of 5 is 4.5: the fourth connection is a crowd, and each after it.
    const fourth = open();
    expect(server.crowds).toBe(1);
    fourth();
    closes[0]!();
    open();
    expect(server.crowds).toBe(1);
    open();
    expect(server.crowds).toBe(2);
  });

  it('says once that new connections are refused, and again only once the open ones have fallen below nine tenths of the limit', () => {
    const { server, warnings, open } = limited(10);
    const closes = Array.from({ length: 10 }, open);
    const refusal = '10 connections are open on 127.0.0.1, the most it takes: new ones are refused until some close';
    server.emit('drop');
    server.emit('drop');
    expect(warnings).toEqual([refusal]);
    // 9 open: still nine tenths.
    closes.pop()!();
    server.emit('drop');
    expect(warnings).toEqual([refusal]);
    // 8 open: below it.
    closes.pop()!();
    server.emit('drop');
    expect(warnings).toEqual([refusal, refusal]);
  });

  it("gives Node's server the request limit for the headers and the whole request, checked each second at most (checking at the limit's own interval, or leaving the headers to Node's default, passed every test)", () => {
    expect(requestTimeouts({})).toEqual({ headersTimeout: 10_000, requestTimeout: 10_000, connectionsCheckingInterval: 1000 });
    expect(requestTimeouts({ requestMs: 90_000 })).toEqual({ headersTimeout: 90_000, requestTimeout: 90_000, connectionsCheckingInterval: 1000 });
    expect(requestTimeouts({ requestMs: 500 })).toEqual({ headersTimeout: 500, requestTimeout: 500, connectionsCheckingInterval: 500 });
  });
});
