import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Misbehaving endpoints for the failure tests: each is a real server on loopback that answers badly in one
 * particular way (an error status, garbage, nothing at all).
 */
export interface FakeEndpoint {
  readonly url: string;
  /** How many requests (or connections, for `hanging`) it has seen. */
  readonly hits: () => number;
  close(): Promise<void>;
}

/** Waits until the endpoint has seen a first request (or connection), for 10 s at most; resolves with its count then. */
export async function firstHit(endpoint: FakeEndpoint): Promise<number> {
  for (let waited = 0; endpoint.hits() === 0 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  return endpoint.hits();
}

export async function answering(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<FakeEndpoint> {
  let hits = 0;
  const server: Server = createHttpServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => closeServer(server),
  };
}

/** Accepts connections and never says a word. */
export function hanging(): Promise<FakeEndpoint> {
  return tcpEndpoint(() => {});
}

/**
 * Answers every request with these bytes, whatever they are, and closes the connection; or, with
 * `keepOpen`, leaves it open, as a server that waits for more does.
 */
export function speaking(answer: string, { keepOpen = false } = {}): Promise<FakeEndpoint> {
  return tcpEndpoint((socket) => {
    socket.once('data', () => (keepOpen ? socket.write(answer) : socket.end(answer)));
    socket.on('error', () => socket.destroy());
  });
}

/** A TCP server that hands each connection to `onConnection`, counts them (its hits), and cuts those still open when closed. */
async function tcpEndpoint(onConnection: (socket: Socket) => void): Promise<FakeEndpoint> {
  let hits = 0;
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    hits++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

/** A loopback URL nothing listens on. */
export async function refusing(): Promise<string> {
  const server = createTcpServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return `http://127.0.0.1:${port}`;
}

function listen(server: Server | TcpServer): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}

function closeServer(server: Server | TcpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A front that passes requests on to `target` unchanged, each after the delay last set (0 at first): a
 * service that slows down; or, switched, one that answers 500 (a Region having a bad day) or never answers;
 * or, retargeted, another service behind the same URL (one that knows none of the credentials issued before).
 */
export async function relaying(
  target: string,
): Promise<FakeEndpoint & { mode: 'forward' | 'fail' | 'hang'; delay(ms: number): void; retarget(url: string): void }> {
  let hits = 0;
  let delayMs = 0;
  const front = { mode: 'forward' as 'forward' | 'fail' | 'hang' };
  const server: Server = createHttpServer((req, res) => {
    hits++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (front.mode === 'hang') return;
      if (front.mode === 'fail') {
        res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"message":"the front is failing"}');
        return;
      }
      const timer = setTimeout(() => {
        const forwarded = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers, agent: false }, (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        });
        forwarded.on('error', () => res.destroy());
        forwarded.end(Buffer.concat(chunks));
      }, delayMs);
      res.on('close', () => clearTimeout(timer));
    });
  });
  await listen(server);
  return Object.assign(front, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    delay: (ms: number) => {
      delayMs = ms;
    },
    retarget: (url: string) => {
      target = url;
    },
    close: async () => {
      server.closeAllConnections();
      await closeServer(server);
    },
  });
}
