import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A forward proxy on loopback (CONNECT tunnels for https, absolute-form requests for http) that sends every
 * request to one target port, whatever host the client asked for: so a client can reach a name it cannot
 * resolve only through the proxy.
 */
export interface TestProxy {
  readonly url: string;
  /** `host:port` targets the clients asked for, in order. */
  readonly targets: string[];
  /** The Proxy-Authorization header of each request or CONNECT, in order (undefined when there was none). */
  readonly authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** With `tls`, an https proxy: the client speaks TLS to the proxy itself, with this identity. */
export async function startProxy(targetPort: number, options: { refuseWith?: number; tls?: { certificate: string; key: string } } = {}): Promise<TestProxy> {
  const targets: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/');
    targets.push(url.host);
    authorizations.push(req.headers['proxy-authorization']);
    if (options.refuseWith) {
      req.resume();
      res.writeHead(options.refuseWith, { 'Proxy-Authenticate': 'Basic realm="proxy"' }).end();
      return;
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: url.pathname + url.search, headers: req.headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    req.pipe(upstream);
  };
  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.certificate, key: options.tls.key }, handle) : createServer(handle);
  server.on('connect', (req, clientSocket: Socket, head: Buffer) => {
    targets.push(req.url ?? '');
    authorizations.push(req.headers['proxy-authorization']);
    if (options.refuseWith) {
      // The client may reset it once told (Node 24.0's TLS socket then threw ECONNRESET in the test process).
      clientSocket.on('error', () => clientSocket.destroy());
      clientSocket.end(`HTTP/1.1 ${options.refuseWith} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1', () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    for (const socket of [upstream, clientSocket]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
