import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OptionNaming } from '../../optionNames.js';
import { CONTAINER_ADDRESSES, hostHeaderCheck } from '../httpServer/hostHeader.js';
import { startLocalServer, type ListenOptions, type RunningLocalServer } from '../httpServer/localServer.js';
import { requestHost, requestPath } from '../httpServer/requestTarget.js';
import { respond } from '../httpServer/respond.js';
import { credentialsAnswer, type ServedRole } from '../httpServer/servedRole.js';
import { containerCredentialsDocument } from './containerCredentialsDocument.js';

export interface EcsServerOptions extends ListenOptions {
  /** Each served at `/role/<name>`. */
  readonly roles: readonly ServedRole[];
  /** Whether a request's Authorization header value is the token (in constant time). */
  readonly authorized: (authorization: string) => boolean;
  /** How the 500 answer's reason names options (default: as the library does). */
  readonly naming?: OptionNaming;
}

/** Where a role's credentials are served. */
export const ROLE_PATH = '/role/';
const CONTENT_TYPE = 'application/json';

/**
 * The container-credentials endpoint that every SDK's container provider reads (ECS, EKS Pod Identity):
 * `GET` with the token as the whole `Authorization` header value, answered with the credentials as JSON.
 * Every answer is JSON, refusals `{"Code","Message"}`, which the SDKs show: 401 without a token, 403 with a
 * wrong one, checked before anything else is said (a caller without the token learns no role name, and not
 * the addresses the Host header may name); then 400 for another Host (DNS rebinding).
 */
export async function startEcsServer(options: EcsServerOptions): Promise<RunningLocalServer> {
  const hosts = hostHeaderCheck(options.addresses, CONTAINER_ADDRESSES);
  const roles = new Map(options.roles.map((role) => [role.name, role]));
  const paths = options.roles.map((role) => `${ROLE_PATH}${role.name}`).join(', ');
  /** With --debug, each refusal is said (never the token), for whoever finds out why a pod's SDK gets none (QA: nothing was). */
  function refuse(res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>): void {
    options.logger.debug(`answered ${status} ${code} to ${res.req.method} ${requestPath(res.req)} from ${res.req.socket.remoteAddress}: ${message}`);
    respond(res, status, CONTENT_TYPE, refusalBody(code, message), headers);
  }

  const answerCredentials = credentialsAnswer({
    contentType: CONTENT_TYPE,
    document: containerCredentialsDocument,
    unavailable: (res, message) => refuse(res, 500, 'CredentialsUnavailable', message),
    naming: options.naming,
  });

  // Idle connections stay open until their client closes them (startLocalServer): a caller without the token
  // keeps none, so that with --bind on a network address it cannot hold many for the price of a request each.
  const closing = { Connection: 'close' };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const authorization = req.headers.authorization;
    if (!authorization) {
      // An SDK older than EKS Pod Identity (the Go SDK v1 before 1.47.11) sends none though the file is set.
      const older = ' (SDKs that predate EKS Pod Identity read only AWS_CONTAINER_AUTHORIZATION_TOKEN)';
      return refuse(res, 401, 'Unauthorized', `no Authorization header: send the token of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE${older}`, closing);
    }
    if (!options.authorized(authorization)) return refuse(res, 403, 'AccessDenied', 'the Authorization header is not the token this server expects', closing);
    if (!hosts.allowed(requestHost(req))) return refuse(res, 400, 'InvalidHost', `invalid Host header: only ${hosts.names()} are answered`);
    const path = requestPath(req);
    const role = path.startsWith(ROLE_PATH) ? roles.get(path.slice(ROLE_PATH.length)) : undefined;
    if (!role) return refuse(res, 404, 'NotFound', `no credentials at ${path}: they are at ${paths}`);
    if (req.method !== 'GET') return refuse(res, 405, 'MethodNotAllowed', `${req.method} is not answered: use GET`, { Allow: 'GET' });
    return answerCredentials(res, role);
  };

  return startLocalServer(handle, options, (_status, code, message) => ({ contentType: CONTENT_TYPE, body: refusalBody(code, message) }));
}

function refusalBody(code: string, message: string): string {
  return JSON.stringify({ Code: code, Message: message });
}
