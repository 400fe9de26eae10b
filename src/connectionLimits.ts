import type { IncomingMessage, Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from './log/logger.js';

/**
 * What one listening address takes, so that a peer holding connections open (idle after a request, or
 * sending its headers a byte at a time) cannot use up the process's file descriptors and memory, nor keep
 * the token's holders out.
 */
export interface ConnectionLimits {
  /** Open connections at most (default 1000); a new one past it is dropped. */
  readonly connections?: number | undefined;
  /** How long a request may take to arrive, headers and body, from its first byte or the connection's opening (default 10 s); then 408 and closed. */
  readonly requestMs?: number | undefined;
}

const MAX_CONNECTIONS = 1000;
const REQUEST_MS = 10_000;

/** The http server's own options for the request limit; Node checks it at most this often (its default, 30 s, let a stalled request stay 90 s). */
export function requestTimeouts(limits: ConnectionLimits): ServerOptions {
  const requestMs = limits.requestMs ?? REQUEST_MS;
  return { headersTimeout: requestMs, requestTimeout: requestMs, connectionsCheckingInterval: Math.min(1000, requestMs) };
}

/**
 * Drops a new connection past the limit, saying so once until the connections fall back below nine
 * tenths of it; and from nine tenths on closes the kept-alive connections waiting for their next request
 * (all of them, by Node's own reckoning, which counts one whose next request has begun to arrive as busy),
 * which their clients reopen when they need one, to make room for new ones. Idle kept-alive connections
 * otherwise stay open until their client closes them (startLocalServer).
 */
export function limitConnections(server: Server, address: string, limits: ConnectionLimits, logger: Logger): void {
  const max = limits.connections ?? MAX_CONNECTIONS;
  const crowded = Math.floor(max * 0.9);
  server.maxConnections = max;
  let open = 0;
  let refusing = false;
  const served = new WeakSet<Socket>();
  server.on('request', (req: IncomingMessage) => served.add(req.socket));
  server.on('connection', (socket: Socket) => {
    open++;
    socket.once('close', () => {
      open--;
      if (open < crowded) refusing = false;
    });
    if (open >= crowded) closeIdleConnections(server, served);
  });
  server.on('drop', () => {
    if (refusing) return;
    refusing = true;
    logger.warn(`${max} connections are open on ${address}, the most it takes: new ones are refused until some close`);
  });
}

/**
 * Node's closeIdleConnections() for connections that have had a request: Node 26 counts one that has sent
 * nothing yet as idle too, so a crowd closed every new connection before its request arrived, the one that
 * made the crowd among them (it got no answer). Node's own list of idle connections (internal; where a
 * runtime has none, its closeIdleConnections() as it is) says which are waiting for their next request.
 */
function closeIdleConnections(server: Server, served: WeakSet<Socket>): void {
  const key = Object.getOwnPropertySymbols(server).find((symbol) => symbol.description === 'http.server.connections');
  const connections = key && (server as unknown as Record<symbol, { idle?: () => { socket: Socket }[] }>)[key];
  if (typeof connections?.idle !== 'function') {
    server.closeIdleConnections();
    return;
  }
  for (const { socket } of connections.idle()) {
    const answering = (socket as { _httpMessage?: { finished: boolean } })._httpMessage;
    if (served.has(socket) && !(answering && !answering.finished)) socket.destroy();
  }
}
