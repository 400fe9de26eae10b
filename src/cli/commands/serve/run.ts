import { resolve } from 'node:path';
import { HelperError } from '../../../errors.js';
import type { Logger } from '../../../log/logger.js';
import { authTokenFileAt, temporaryAuthTokenFile, type AuthTokenFile } from '../../../outputs/ecs/authTokenFile.js';
import { ROLE_PATH, startEcsServer } from '../../../outputs/ecs/ecsServer.js';
import { hostAndPort } from '../../../hostAndPort.js';
import { bindAddress, type BindAddress } from '../../../outputs/httpServer/bindAddress.js';
import { CONTAINER_ADDRESSES } from '../../../outputs/httpServer/hostHeader.js';
import type { RunningLocalServer } from '../../../outputs/httpServer/localServer.js';
import { isLoopbackAddress } from '../../../http/loopback.js';
import { startImdsServer } from '../../../outputs/imds/imdsServer.js';
import type { CommandRun } from '../../command.js';
import { filePathFlag } from '../../flagSources.js';
import { checkedPort } from '../../portFlag.js';
import { STOP_SIGNALS } from '../../../signalListeners.js';
import { untilSignal } from '../../signals.js';
import type { SERVE_FLAGS } from './flags.js';
import { socketHopLimit } from './socketHopLimit.js';
import { commandLineRole, readRolesFile } from './rolesFile.js';
import { startRoles, type ServedRoles } from './servedRoles.js';
import { shellWord } from '../../../shellWord.js';

/**
 * `serve`: an IMDSv2-compatible endpoint, or with --ecs the container-credentials endpoint, for one role
 * or (--roles-file) several. Refuses to start without credentials; afterwards keeps the last good ones while
 * refreshing fails, and answers 500 (never empty credentials) once none are valid. SIGINT, SIGTERM or SIGHUP stop it
 * gracefully.
 */
export const run: CommandRun<typeof SERVE_FLAGS> = async (flags, context) => {
  const { logger } = context;
  const { ecs } = flags;
  const port = checkedPort(flags.port);
  const onSocket = socketHopLimit(flags['hop-limit'], logger);
  const bind = checkedBind(flags.bind, ecs);
  if (flags['auth-token-file'] && !ecs) throw new HelperError('--auth-token-file is for --ecs: the IMDS endpoint takes no token from a file');
  // The file the SDKs read the token from, so neither standard input nor a variable.
  const authTokenFile = filePathFlag('auth-token-file', flags['auth-token-file']);
  // An empty one is an unset variable's, not a wish for the command line's role alone (QA: served that, or "no role ARN given").
  if (flags['roles-file'] === '') throw new HelperError('invalid --roles-file "": it names no file (leave it out to serve the command line\'s role)');
  const roleSettings = flags['roles-file'] ? readRolesFile(flags['roles-file'], flags) : [commandLineRole(flags)];

  // Listening for the signals from before the token file is made: a stop while the first credentials are
  // fetched (a CreateSession may take 30 s) must remove the token folder too, not leave it to a killed process.
  const stopSignal = untilSignal(STOP_SIGNALS, { keepCatching: true });
  // The token file before credentials: a file that cannot be used fails at once, without a CreateSession.
  const tokenFile = ecs ? (authTokenFile ? authTokenFileAt(authTokenFile, context) : temporaryAuthTokenFile(context)) : undefined;
  let roles: ServedRoles | undefined;
  let server: RunningLocalServer;
  try {
    const starting = startRoles(roleSettings, context);
    const started = await Promise.race([starting, stopSignal]);
    if (typeof started === 'string') {
      // Not waited for: the process ends with this command, and what startRoles holds with it.
      void starting.then((late) => late.close()).catch(() => undefined);
      logger.debug(`${started} received while starting: stopping`);
      tokenFile?.close();
      return;
    }
    roles = started;
    const both = { addresses: bind.addresses, optional: bind.optional, port, logger, onSocket, roles: roles.served, naming: context.naming };
    server = tokenFile
      ? await startEcsServer({ ...both, authorized: (value) => tokenFile.accepts(value) })
      : await startImdsServer({ ...both, region: roles.region });
  } catch (error) {
    tokenFile?.close();
    await roles?.close();
    throw error;
  }
  roles.refreshInBackground();
  logger.info(`Local server started on port: ${server.port}`);
  const client = clientAddress(bind);
  const base = `http://${hostAndPort(client, server.port)}`;
  if (tokenFile) announceEcs(logger, base, roles, tokenFile);
  else announceImds(logger, base, roles);
  if (!isLoopbackAddress(client) && !CONTAINER_ADDRESSES.includes(client)) {
    logger.warn(
      `the SDKs refuse ${base} over plain HTTP, taking only a loopback address, ${CONTAINER_ADDRESSES.join(', ')}: ` +
        "a client in another network namespace needs one of those (a pod's 169.254.170.23 alias, say)",
    );
  }

  const signal = await stopSignal;
  logger.debug(`${signal} received: finishing requests in flight and stopping`);
  await server.close();
  tokenFile?.close();
  await roles.close();
};

/**
 * The address of --bind. IMDS only on a loopback one: it has no authentication of its own (any process that
 * reaches it can PUT a token), so on another address anyone who can reach it has the credentials.
 */
function checkedBind(text: string, ecs: boolean): BindAddress {
  const bind = bindAddress(text);
  if ('withPort' in bind) throw new HelperError(`invalid --bind ${JSON.stringify(text)}: give the address alone (${bind.withPort}), and the port with --port`);
  if ('zone' in bind) {
    throw new HelperError(
      `invalid --bind ${JSON.stringify(text)}: an address with an IPv6 zone (${bind.zone}) is link-local, and no AWS SDK asks one for ` +
        'credentials over plain HTTP; give another address of the interface',
    );
  }
  if ('notAnAddress' in bind) throw new HelperError(`invalid --bind ${JSON.stringify(text)}: it must be an IP address of this machine, or localhost (127.0.0.1 and ::1)`);
  if (!bind.loopback && !ecs) {
    throw new HelperError(
      `refusing --bind ${text} without --ecs: the IMDS endpoint has no authentication (any process that reaches it can ` +
        'get a token and the credentials), so it listens on loopback addresses only; use --ecs, whose clients must send a secret token',
    );
  }
  return bind;
}

/**
 * The address a client on this machine reaches the server at: for all addresses, 127.0.0.1, which every SDK
 * takes (the JavaScript SDK's fromContainerMetadata no [::1]); Node listens on :: for IPv4 too.
 */
function clientAddress(bind: BindAddress): string {
  const [address] = bind.addresses;
  return bind.wildcard ? '127.0.0.1' : address!;
}

function announceImds(logger: Logger, base: string, roles: ServedRoles): void {
  logger.info('Make it available to the sdk by running:');
  // One shell word, as the ECS mode's: [::1] (--bind ::1) is a pattern to a shell; 127.0.0.1's stays as the reference writes it.
  logger.info(`export AWS_EC2_METADATA_SERVICE_ENDPOINT=${shellWord(`${base}/`)}`);
  if (roles.served.length > 1) {
    logger.info(`Roles listed at /latest/meta-data/iam/security-credentials/: ${roles.served.map((role) => role.name).join(', ')}`);
    // QA: botocore then says "Unable to locate credentials", which points nowhere near the cause.
    logger.warn('botocore (the AWS CLI, boto3) and the JavaScript SDK take a listing of several roles as one name and find no credentials; serve them with --ecs');
  }
}

function announceEcs(logger: Logger, base: string, roles: ServedRoles, tokenFile: AuthTokenFile): void {
  const [first, ...others] = roles.served;
  logger.info('Make it available to the sdk by running:');
  logger.info(`export AWS_CONTAINER_CREDENTIALS_FULL_URI=${shellWord(`${base}${ROLE_PATH}${first!.name}`)}`);
  // Absolute: the SDKs read it from wherever they run.
  logger.info(`export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${shellWord(resolve(tokenFile.path))}`);
  for (const role of others) {
    logger.info(`For role ${role.name} instead: export AWS_CONTAINER_CREDENTIALS_FULL_URI=${shellWord(`${base}${ROLE_PATH}${role.name}`)}`);
  }
}
