import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { reasonOf } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { libraryNaming, nameOptions, type OptionNaming } from '../../optionNames.js';
import { credentialsDocument } from './credentialsDocument.js';
import { hostHeaderCheck } from './hostHeader.js';
import { socketFd } from './hopLimit.js';
import { MAX_TOKEN_TTL_SECONDS, TokenStore } from './tokenStore.js';

export interface ImdsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly roleName: string;
  /**
   * Credentials valid now, synchronously when they are at hand; throws (or rejects) when there are none,
   * which is answered with a 500, never with empty credentials.
   */
  readonly credentials: () => TemporaryCredentials | Promise<TemporaryCredentials>;
  readonly lastUpdated: () => Date;
  readonly logger: Logger;
  /** How the 500 answer's reason names options (default: as the library does). */
  readonly naming?: OptionNaming;
  /** Called with the listening socket's and each accepted socket's file descriptor, to set their IP TTL. */
  readonly onSocket?: (fd: number) => void;
  readonly now?: () => number;
  /** How long close() lets requests in flight finish before it closes their connections (default 5 s, as upstream). */
  readonly drainMs?: number;
}

export interface RunningImdsServer {
  readonly port: number;
  readonly server: Server;
  /**
   * Stops accepting, closes idle connections, lets requests in flight finish for the drain time, then
   * closes the connections left (a slow or stalled client would otherwise hold it for minutes); resolves
   * once all are closed.
   */
  close(): Promise<void>;
}

const TOKEN_PATH = '/latest/api/token';
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials';
const CONTENT_TYPE = 'text/plain; charset=utf-8';
const TTL_HEADER = 'X-Aws-Ec2-Metadata-Token-Ttl-Seconds';
const DRAIN_MS = 5000;

/**
 * An IMDSv2-compatible endpoint serving one role's credentials, for SDKs pointed at it with
 * AWS_EC2_METADATA_SERVICE_ENDPOINT: PUT a token, then GET the role name and its credentials with it.
 * The credentials path answers synchronously from a cached body while the credentials are fresh.
 */
export async function startImdsServer(options: ImdsServerOptions): Promise<RunningImdsServer> {
  const tokens = new TokenStore(options.now);
  const hosts = hostHeaderCheck(options.host);
  const wrongHost = `invalid Host header: only ${hosts.names} are answered\n`;
  const rolePath = `${CREDENTIALS_PATH}/${options.roleName}`;
  let cached: { credentials: TemporaryCredentials; lastUpdated: Date; body: Buffer; headers: object } | undefined;

  const writeCredentials = (res: ServerResponse, credentials: TemporaryCredentials) => {
    const lastUpdated = options.lastUpdated();
    if (cached?.credentials !== credentials || cached.lastUpdated !== lastUpdated) {
      const body = Buffer.from(credentialsDocument(credentials, lastUpdated));
      cached = { credentials, lastUpdated, body, headers: { 'Content-Type': CONTENT_TYPE, 'Content-Length': body.length } };
    }
    res.writeHead(200, cached.headers as Record<string, string>);
    res.end(cached.body);
  };

  const issueToken = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'PUT') return send(res, 405, '');
    if (req.headers['x-forwarded-for']) return send(res, 400, 'unable to process requests with X-Forwarded-For header');
    const requested = req.headers['x-aws-ec2-metadata-token-ttl-seconds'];
    const ttlText = typeof requested === 'string' && requested !== '' ? requested : String(MAX_TOKEN_TTL_SECONDS);
    const ttl = /^[+-]?\d+$/.test(ttlText) ? Number(ttlText) : NaN;
    if (!(ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS)) return send(res, 400, 'invalid token TTL');
    send(res, 200, tokens.issue(ttl), TTL_HEADER, ttlText);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!hosts.allowed(req.headers.host)) return send(res, 400, wrongHost);
    let path = req.url ?? '/';
    const query = path.indexOf('?');
    if (query !== -1) path = path.slice(0, query);
    // `//latest/...` (an endpoint given with a trailing slash) means `/latest/...`.
    if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
    if (path === TOKEN_PATH || path === `${TOKEN_PATH}/`) return issueToken(req, res);
    const isRole = path === rolePath || path === `${rolePath}/`;
    const isRoleList = !isRole && (path === CREDENTIALS_PATH || path === `${CREDENTIALS_PATH}/`);
    if (!isRole && !isRoleList) return send(res, 404, '404 page not found\n');
    if (req.method !== 'GET') return send(res, 405, '');
    const token = req.headers['x-aws-ec2-metadata-token'];
    if (typeof token !== 'string' || token === '') return send(res, 401, 'no token provided');
    const remaining = tokens.remainingSeconds(token);
    if (remaining === undefined) return send(res, 401, 'invalid token provided');
    if (isRoleList) return send(res, 200, options.roleName, TTL_HEADER, String(remaining));

    const unavailable = (error: unknown) =>
      send(res, 500, `unable to obtain credentials: ${nameOptions(reasonOf(error), options.naming ?? libraryNaming)}\n`);
    let credentials: TemporaryCredentials | Promise<TemporaryCredentials>;
    try {
      credentials = options.credentials();
    } catch (error) {
      return unavailable(error);
    }
    if (credentials instanceof Promise) credentials.then((c) => writeCredentials(res, c), unavailable);
    else writeCredentials(res, credentials);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      options.logger.error(`internal error answering ${req.method} ${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, 'internal error\n');
    }
  });
  const onSocket = options.onSocket;
  if (onSocket) {
    server.on('connection', (socket: Socket) => {
      const fd = socketFd(socket);
      if (fd !== undefined) onSocket(fd);
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Set on the listening socket too: it answers the SYN before any connection is accepted.
  const listenerFd = socketFd(server);
  if (onSocket && listenerFd !== undefined) onSocket(listenerFd);
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        const drained = setTimeout(() => server.closeAllConnections(), options.drainMs ?? DRAIN_MS);
        server.close(() => {
          clearTimeout(drained);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: string, header?: string, value?: string): void {
  const headers: Record<string, string | number> = { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) };
  if (header) headers[header] = value!;
  res.writeHead(status, headers);
  res.end(body);
}
