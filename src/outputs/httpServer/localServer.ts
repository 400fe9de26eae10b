import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { HelperError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { denoListenRefusal } from '../../permissionDenied.js';
import { hostAndPort } from '../../hostAndPort.js';
import { limitConnections, requestTimeouts, type ConnectionLimits } from '../../connectionLimits.js';
import { listenFailure } from './listenFailure.js';
import { socketFd } from './socketTtl.js';
import { respond } from './respond.js';

/** Where and how a credentials server (IMDS or the container endpoint) listens. */
export interface ListenOptions {
  /** The addresses to listen on, all on one port (127.0.0.1 and ::1 for a dual loopback). */
  readonly addresses: readonly string[];
  /** Those of them this machine may lack (::1 where IPv6 is off): one it lacks is left out, said at debug. */
  readonly optional?: readonly string[] | undefined;
  /** 0 for any free port. */
  readonly port: number;
  readonly logger: Logger;
  /** Called with the listening sockets' and each accepted socket's file descriptor, to set their IP TTL. */
  readonly onSocket?: (fd: number) => void;
  /** How long close() lets requests in flight finish before it closes their connections (default 5 s, as upstream). */
  readonly drainMs?: number;
  /** How many connections each address takes and how long a request may take to arrive (defaults: 1000, 10 s). */
  readonly limits?: ConnectionLimits;
}

export interface RunningLocalServer {
  readonly port: number;
  /** One per address. */
  readonly servers: readonly Server[];
  /**
   * Stops accepting, closes idle connections and those that have sent nothing yet, lets requests in flight
   * finish (their answers closing their connections, and those of requests still coming on a kept-alive one)
   * for the drain time, then closes the connections left (a slow or stalled client would otherwise hold it for minutes); resolves
   * once all are closed.
   */
  close(): Promise<void>;
}

const DRAIN_MS = 5000;

/** An answer the server makes itself, not its handler, in the protocol's format: from its status, a code (for formats that have one) and the reason. */
export type Refusal = (status: number, code: string, message: string) => { readonly contentType: string; readonly body: string };

/** IMDS's format: plain text, as its other answers are. */
const plainRefusal: Refusal = (_status, _code, message) => ({ contentType: 'text/plain; charset=utf-8', body: `${message}\n` });

/**
 * Listens with `handle` on each address, on one port; a handler that throws (or whose promise rejects) is answered with a 500 and
 * logged (without the request's headers, which hold tokens), and a request that is not HTTP, or whose
 * headers are too large, is answered as Node would but in the protocol's format (`refusal`). A failure to
 * listen is a HelperError naming the address and the reason, and leaves nothing listening.
 */
export async function startLocalServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  options: ListenOptions,
  refusal: Refusal = plainRefusal,
): Promise<RunningLocalServer> {
  const servers: Server[] = [];
  let port = options.port;
  // Once stopping, answers close their connections (a client's keep-alive would hold the stop to its deadline).
  let stopping = false;
  const answering = new Set<ServerResponse>();
  // For close(): Node's idle connections are those between requests, and one that has sent nothing yet,
  // which carries no request either, held a stop for the whole drain time (QA: serve took 5 s to stop).
  const connections = new Set<Socket>();
  try {
    for (const address of options.addresses) {
      // A request without Host goes to the handler, whose refusal of it is in the protocol's format (Node's is an empty 400).
      // keepAliveTimeout 0: an idle kept-alive connection stays open until the client closes it (as upstream's Go
      // server keeps it). Node's default closes it 6 s after an answer (the 5 s of its Keep-Alive hint and 1 s),
      // and a client reusing it at that moment (the JavaScript SDK's agent and urllib3 ignore the hint) got
      // ECONNRESET. A stop still closes idle connections at once (close()), and so does a crowd of them
      // (limitConnections).
      const limits = options.limits ?? {};
      const server = createServer({ requireHostHeader: false, keepAliveTimeout: 0, ...requestTimeouts(limits) }, (req, res) => {
        if (stopping) res.setHeader('Connection', 'close');
        answering.add(res);
        res.once('close', () => answering.delete(res));
        const failed = (error: unknown) => {
          options.logger.error(`internal error answering ${req.method} ${req.url}: ${(error as Error).message}`);
          if (!res.headersSent) {
            const { contentType, body } = refusal(500, 'InternalError', 'internal error');
            respond(res, 500, contentType, body);
          }
        };
        try {
          // An answer that waits (for a role's credentials) fails later: the same way, not as an unhandled rejection.
          handle(req, res)?.catch(failed);
        } catch (error) {
          failed(error);
        }
      });
      server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, refusal));
      // An Expect other than 100-continue: 417 as Node answers it (and the reference's Go server), in the protocol's format.
      server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
        const { contentType, body } = refusal(417, 'ExpectationFailed', 'only Expect: 100-continue is answered');
        respond(res, 417, contentType, body, { Connection: 'close' });
      });
      limitConnections(server, address, limits, options.logger);
      server.on('connection', (socket: Socket) => {
        connections.add(socket);
        socket.once('close', () => connections.delete(socket));
      });
      servers.push(server);
      const onSocket = options.onSocket;
      if (onSocket) {
        server.on('connection', (socket: Socket) => {
          const fd = socketFd(socket);
          if (fd !== undefined) onSocket(fd);
        });
      }
      try {
        await listen(server, address, port);
      } catch (error) {
        const { code } = (error as { cause?: NodeJS.ErrnoException }).cause ?? {};
        if (!options.optional?.includes(address) || (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT')) throw error;
        servers.pop();
        options.logger.debug(`not listening on ${address}, which this machine does not have (${code})`);
        continue;
      }
      port = (server.address() as AddressInfo).port;
      // Set on the listening socket too: it answers the SYN before any connection is accepted.
      const listenerFd = socketFd(server);
      if (onSocket && listenerFd !== undefined) onSocket(listenerFd);
    }
  } catch (error) {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    throw error;
  }
  const drainMs = options.drainMs ?? DRAIN_MS;
  const close = async () => {
    stopping = true;
    for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
    const drained = Promise.all(servers.map((server) => drain(server, drainMs)));
    for (const socket of connections) if (socket.bytesRead === 0) socket.destroy();
    await drained;
  };
  return { port, servers, close };
}

/** Node's own answers to a request it cannot read (its default for 'clientError'); any other is a 400. */
const CLIENT_ERRORS: Record<string, readonly [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "the request's headers are too large"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request did not arrive in time'],
};

/** Connections whose unreadable request is answered once the answers before it are written. */
const refusing = new WeakSet<Duplex>();

/**
 * Answers a request Node could not read, as Node does but in the protocol's format, then closes the
 * connection; one that cannot be written to is closed. Answers to requests pipelined before it go first
 * (Node destroyed the connection under them); a request after one that said `Connection: close`, which Node
 * reports as an error too, is not answered: that one's answer closes the connection (RFC 9112 §9.6). Nor is
 * one whose head was read and answered, and whose body cannot be (an invalid Transfer-Encoding, or too slow):
 * its connection closes after its answer, rather than carry a second one.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, refusal: Refusal): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const before = (socket as { _httpMessage?: ServerResponse })._httpMessage;
  if (before) {
    // Node reports each later read of the connection again: one wait is enough.
    if (error.code === 'HPE_CLOSED_CONNECTION' || refusing.has(socket)) return;
    refusing.add(socket);
    before.once('finish', () => {
      refusing.delete(socket);
      answerClientError(error, socket, refusal);
    });
    return;
  }
  if ((socket as { parser?: { incoming?: IncomingMessage | null } }).parser?.incoming?.complete === false) {
    socket.end(() => socket.destroy());
    return;
  }
  const [status, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'the request is not valid HTTP/1.1'];
  const reason = STATUS_CODES[status]!;
  // The code is the reason phrase's words (BadRequest), as the SDKs' own names for these statuses are.
  const { contentType, body } = refusal(status, reason.replaceAll(' ', ''), message);
  const head = `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close`;
  socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy());
}

function listen(server: Server, address: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(new HelperError(`failed to create listener on ${hostAndPort(address, port)}: ${listenFailure(error)}`, { cause: error }));
    const refused = denoListenRefusal(address, port);
    if (refused) return failed(refused);
    server.once('error', failed);
    server.listen(port, address, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

function drain(server: Server, drainMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const drained = setTimeout(() => server.closeAllConnections(), drainMs);
    // Before close(), which Node's closes idle connections itself: Bun 1.2's threw when asked after it
    // (`undefined is not an object (evaluating 'serverSymbol')`), and serve stopped of a signal with an
    // internal error, exit 1 (QA: runtimes).
    server.closeIdleConnections();
    server.close(() => {
      clearTimeout(drained);
      resolve();
    });
  });
}
