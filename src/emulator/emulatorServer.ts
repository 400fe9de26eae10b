import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { limitConnections, requestTimeouts } from '../connectionLimits.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { denoListenRefusal } from '../permissionDenied.js';
import { createSession, type CreateSessionContext } from './createSession.js';
import type { EmulatorOptions } from './emulatorOptions.js';
import { BodyTooLarge, receiveRequest, sendReply, type EmulatorRequest, type Reply } from './httpExchange.js';
import { managementOperation } from './management/managementApi.js';
import type { IssuedSession, Rejection } from './records.js';
import type { RolesAnywhereResources } from './resources.js';
import { ServiceError, notEmulated, serviceErrorReply } from './serviceErrors.js';
import { handleSts, type StsContext } from './sts/stsApi.js';

export interface Services {
  readonly resources: RolesAnywhereResources;
  readonly createSessionContext: CreateSessionContext;
  readonly sts: StsContext;
  readonly issued: IssuedSession[];
  readonly refuse: (rejection: Rejection) => void;
}

/** Which service answers a request: STS at /, CreateSession, a management operation, else the "not emulated" refusal. */
export function router({ resources, createSessionContext, sts, issued, refuse }: Services): (request: EmulatorRequest) => Promise<Reply> {
  /** Runs a Roles Anywhere operation, answering a ServiceError it throws as the service would. */
  const rolesAnywhere = async (operation: string, run: () => Promise<Reply>): Promise<Reply> => {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      refuse({ operation, status: error.status, code: error.code, message: error.message });
      return serviceErrorReply(error);
    }
  };
  return (request) => {
    // A web page the developer visits can send a form or a fetch here without a preflight (a text/plain POST):
    // no SDK sends Origin, and no page needs the emulator (it sends no CORS headers, so none reads an answer).
    if (request.headers.origin !== undefined) {
      return rolesAnywhere(`${request.method} ${request.path}`, async () => {
        throw new ServiceError(403, 'AccessDeniedException', `requests from web pages are refused: this one came from ${request.headers.origin}`);
      });
    }
    if (request.path === '/') return handleSts(request, sts);
    if (request.method === 'POST' && request.path.endsWith('/sessions')) {
      return rolesAnywhere('CreateSession', async () => {
        const session = await createSession(request, createSessionContext);
        issued.push(session.issued);
        return { status: 201, contentType: 'application/json', body: session.body };
      });
    }
    const [operation, run] = managementOperation(request) ?? [];
    if (operation && run) return rolesAnywhere(operation, () => run(request, resources));
    return rolesAnywhere(`${request.method} ${request.path}`, async () => {
      throw notEmulated(
        `The emulator does not answer ${request.method} ${request.path}: it emulates CreateSession, STS, and the Roles Anywhere management API ` +
          '(trust anchors, profiles, CRLs and subjects, their tags, notification settings and attribute mappings), of which this is no operation',
      );
    });
  };
}

export interface Answering {
  readonly refuse: (rejection: Rejection) => void;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** Reads a request, routes it and sends the reply: a bug of the emulator's is a 500, and each request one log line. */
export function requestHandler(route: (request: EmulatorRequest) => Promise<Reply>, { refuse, logger, now }: Answering) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let request: EmulatorRequest;
    try {
      request = await receiveRequest(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // Named by its path: a presigned URL's query holds its session token (QA fuzz).
        // Answered, and the connection closed rather than the rest read: it could be endless. A client still
        // sending then may see the connection reset rather than the answer, as from the services' front ends.
        const refusal = new ServiceError(413, 'RequestEntityTooLarge', error.message);
        refuse({ operation: `${req.method} ${req.url?.replace(/\?.*/s, '')}`, status: refusal.status, code: refusal.code, message: refusal.message });
        res.shouldKeepAlive = false;
        sendReply(res, serviceErrorReply(refusal), randomUUID(), replyDate());
        return;
      }
      // The client went away before its body arrived: there is no one to answer, and nothing to refuse.
      res.destroy();
      return;
    }
    let reply: Reply;
    try {
      reply = await route(request);
    } catch (error) {
      // A bug of the emulator's, not a refusal the services would make.
      reply = serviceErrorReply(new ServiceError(500, 'InternalServerError', String(error)));
      refuse({ operation: `${request.method} ${request.path}`, status: 500, code: 'InternalServerError', message: String(error) });
    }
    // A refusal (every 4xx and 5xx) was logged already, with its reason: one line per request.
    if (reply.status < 400) logger.debug(`${request.method} ${request.path} answered ${reply.status}`);
    sendReply(res, reply, request.requestId, replyDate());
  };

  function replyDate(): Date {
    try {
      return now();
    } catch {
      // A clock that went bad after the start: the reply says why (a 500 from route), dated by the system's.
      return new Date();
    }
  }
}

/**
 * An HTTP (or, with the tls option, HTTPS) server listening on `host` and the options' port. A request Node's
 * parser refuses before it reaches `handle` is answered as Node answers it, and refused through `refuse` too.
 */
export async function listen(
  options: EmulatorOptions,
  host: string,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  refuse: (rejection: Rejection) => void,
): Promise<Server> {
  // keepAliveTimeout 0: idle kept-alive connections stay open until the client closes them. Node's default closes
  // them 6 s after an answer, and an SDK client reusing one at that moment (its agent ignores the Keep-Alive hint)
  // got ECONNRESET. close() closes them all. One setting for both servers, as the test of the HTTP one is for both.
  // A request has serve's 10 s to arrive: Node's defaults held a stalled body 330 s (QA fuzz: 1,000 kept everyone out).
  const kept = { keepAliveTimeout: 0, ...requestTimeouts({}) };
  // And its TLS handshake as long: Node's 120 s held a silent connection, and close(), open (review).
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.certificate, key: options.tls.privateKey, handshakeTimeout: kept.requestTimeout, ...kept }, (req, res) => void handle(req, res))
    : createHttpServer(kept, (req, res) => void handle(req, res));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => unparsedRequest(error, socket, refuse));
  // A long test suite's SDK clients, each leaving a kept-alive connection, would otherwise run it out of file
  // descriptors (soak QA: 2,000 in 18 minutes): from 900 open, the idle ones are closed, as serve closes them.
  limitConnections(server, host, {}, options.logger ?? silentLogger);
  await new Promise<void>((resolve, reject) => {
    const refused = denoListenRefusal(host, options.port ?? 0);
    if (refused) return reject(refused);
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Node's parser's refusals the emulator names, by Node's error code: what Node answers (others 400), and why. */
const UNPARSED: Readonly<Record<string, readonly [number, string, string, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'RequestHeaderFieldsTooLarge', `the request's headers are larger than Node's limit of ${maxHeaderSize / 1024} KiB`],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large', 'RequestEntityTooLarge', "the request's chunk extensions are larger than Node's limit"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'RequestTimeout', 'the request did not all come in time'],
};

/**
 * A request the parser refused (headers over Node's 16 KiB: a large certificate or chain; not HTTP at all):
 * answered as Node answers it without a clientError listener, and logged with the other refusals (QA: a
 * CreateSession with a 17 KB certificate got a bare 431, and the emulator's log said nothing).
 */
function unparsedRequest(error: NodeJS.ErrnoException, socket: Socket, refuse: (rejection: Rejection) => void): void {
  // The client closed or reset the connection, or its TLS handshake failed (HTTP written then never leaves, QA
  // fuzz: the connection stayed open): nobody to answer or to refuse.
  if (error.code === 'ECONNRESET' || /^ERR_(TLS|SSL)/.test(error.code!) || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] = UNPARSED[error.code ?? ''] ?? [400, 'Bad Request', 'BadRequest', `the request is not HTTP/1.1 Node can read (${error.code ?? error.message})`];
  refuse({ operation: 'a request', status, code, message });
  // As Node: no answer on a connection an answer has begun on (a later request of it was the bad one). Closed
  // once written, as serve closes it: ended only, it stayed open while the client kept its own side open (review).
  if (socket.bytesWritten === 0) socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`, () => socket.destroy());
  else socket.destroy();
}
