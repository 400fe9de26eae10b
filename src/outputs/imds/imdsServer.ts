import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OptionNaming } from '../../optionNames.js';
import { IMDS_ADDRESSES, hostHeaderCheck } from '../httpServer/hostHeader.js';
import { startLocalServer, type ListenOptions, type RunningLocalServer } from '../httpServer/localServer.js';
import { requestHost, requestPath } from '../httpServer/requestTarget.js';
import { respond } from '../httpServer/respond.js';
import { credentialsAnswer, type ServedRole } from '../httpServer/servedRole.js';
import { credentialsDocument } from './credentialsDocument.js';
import { MAX_TOKEN_TTL_SECONDS, TokenStore } from './tokenStore.js';

export interface ImdsServerOptions extends ListenOptions {
  /** The roles, listed in this order at `.../security-credentials/`. */
  readonly roles: readonly ServedRole[];
  /** Answered at `/latest/meta-data/placement/region`, as EC2 answers it (scripts and tools read it there). */
  readonly region: string;
  /** How the 500 answer's reason names options (default: as the library does). */
  readonly naming?: OptionNaming;
  readonly now?: () => number;
}

/** How often expired tokens are swept, as the reference does (each one logged). */
const SWEEP_MS = 5000;

const TOKEN_PATH = '/latest/api/token';
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials';
const REGION_PATH = '/latest/meta-data/placement/region';
const CONTENT_TYPE = 'text/plain; charset=utf-8';
const TTL_HEADER = 'X-Aws-Ec2-Metadata-Token-Ttl-Seconds';

/**
 * An IMDSv2-compatible endpoint, for SDKs pointed at it with AWS_EC2_METADATA_SERVICE_ENDPOINT: PUT a token,
 * then GET the role names, a role's credentials or the Region with it. The availability zone is not
 * answered (404): nothing here knows one, and a made-up one would mislead. It has no authentication of its
 * own (any local process can PUT a token), which is why serve binds it to a loopback address only.
 */
export async function startImdsServer(options: ImdsServerOptions): Promise<RunningLocalServer> {
  const tokens = new TokenStore(options.now);
  const hosts = hostHeaderCheck(options.addresses, IMDS_ADDRESSES);
  const roles = new Map(options.roles.map((role) => [role.name, role]));
  const roleList = options.roles.map((role) => role.name).join('\n');
  const answerCredentials = credentialsAnswer({
    contentType: CONTENT_TYPE,
    document: credentialsDocument,
    unavailable: (res, message) => send(res, 500, `${message}\n`),
    naming: options.naming,
  });

  const issueToken = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'PUT') return send(res, 405, '', { Allow: 'PUT' });
    if (req.headers['x-forwarded-for']) return send(res, 400, 'unable to process requests with X-Forwarded-For header');
    const requested = req.headers['x-aws-ec2-metadata-token-ttl-seconds'];
    const ttlText = typeof requested === 'string' && requested !== '' ? requested : String(MAX_TOKEN_TTL_SECONDS);
    const ttl = /^[+-]?\d+$/.test(ttlText) ? Number(ttlText) : NaN;
    if (!(ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS)) return send(res, 400, 'invalid token TTL');
    send(res, 200, tokens.issue(ttl), { [TTL_HEADER]: ttlText });
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!hosts.allowed(requestHost(req))) return send(res, 400, `invalid Host header: only ${hosts.names()} are answered\n`);
    const path = requestPath(req);
    if (path === TOKEN_PATH) return issueToken(req, res);
    const role = path.startsWith(`${CREDENTIALS_PATH}/`) ? roles.get(path.slice(CREDENTIALS_PATH.length + 1)) : undefined;
    if (!role && path !== CREDENTIALS_PATH && path !== REGION_PATH) return send(res, 404, '404 page not found\n');
    if (req.method !== 'GET') return send(res, 405, '', { Allow: 'GET' });
    const token = req.headers['x-aws-ec2-metadata-token'];
    const remaining = typeof token === 'string' && token !== '' ? tokens.remainingSeconds(token) : undefined;
    if (remaining === undefined) {
      const refusal = typeof token === 'string' && token !== '' ? 'invalid token provided' : 'no token provided';
      // The reference's credentials handler says so; the token itself is never logged.
      if (role) options.logger.info(`Token validation received error: ${refusal}`);
      return send(res, 401, refusal);
    }
    if (role) return answerCredentials(res, role);
    send(res, 200, path === REGION_PATH ? options.region : roleList, { [TTL_HEADER]: String(remaining) });
  };

  const server = await startLocalServer(handle, options);
  const sweep = setInterval(() => {
    for (let removed = tokens.removeExpired(); removed > 0; removed--) options.logger.info('removed an expired token');
  }, SWEEP_MS).unref();
  return {
    ...server,
    close: () => {
      clearInterval(sweep);
      return server.close();
    },
  };
}

function send(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void {
  respond(res, status, CONTENT_TYPE, body, headers);
}
