import { CredentialRefresher } from '../../../credentials/credentialRefresher.js';
import { refreshInBackground } from '../../../credentials/refreshInBackground.js';
import { SERVE_REFRESH_POLICY } from '../../../credentials/refreshPolicies.js';
import { rolesAnywhereSession } from '../../../credentials/rolesAnywhereSession.js';
import { HelperError, reasonOf } from '../../../errors.js';
import { loadSocketTtl, SYSTEM_HOP_LIMIT } from '../../../outputs/imds/hopLimit.js';
import { startImdsServer } from '../../../outputs/imds/imdsServer.js';
import type { CommandRun } from '../../command.js';
import { rolesAnywhereOptions } from '../../commandOptions.js';
import { flagNaming } from '../../flags.js';
import { untilSignal } from '../../signals.js';
import type { SERVE_FLAGS } from './flags.js';

const HOST = '127.0.0.1';

/**
 * `serve`: an IMDSv2-compatible endpoint on 127.0.0.1 for SDKs that read instance metadata. Refuses to
 * start without credentials; afterwards keeps the last good ones while refreshing fails, and answers 500
 * (never empty credentials) once none are valid. SIGINT/SIGTERM stop it gracefully.
 */
export const run: CommandRun<typeof SERVE_FLAGS> = async (flags, context) => {
  const { logger } = context;
  const port = flags.port;
  const hopLimit = flags['hop-limit'];
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new HelperError(`invalid --port ${port}: it must be between 0 and 65535`);
  if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 255) {
    throw new HelperError(`invalid --hop-limit ${hopLimit}: it must be between 1 and 255`);
  }
  const session = rolesAnywhereSession(rolesAnywhereOptions(flags, context), context);
  const roleName = session.route.roleArn.slice(session.route.roleArn.lastIndexOf('/') + 1);
  // Without the addon (installed where there was no C toolchain) sockets keep the system's hop limit.
  const socketTtl = loadSocketTtl();
  if (!socketTtl && hopLimit !== SYSTEM_HOP_LIMIT) {
    throw new HelperError(
      `--hop-limit ${hopLimit} needs the socket_ttl native addon, which is not built here: run \`npm rebuild roles-anywhere-helper\` ` +
        `on a machine with python3, make and a C compiler (without --hop-limit, serve uses the system's ${SYSTEM_HOP_LIMIT})`,
    );
  }

  let serving = false; // a failure at start-up ends the command; later ones are logged and retried
  const refresher = new CredentialRefresher(session.getCredentials, {
    ...SERVE_REFRESH_POLICY,
    onFailure: (error, retryInMs) => {
      if (serving) logger.error(`Error generating credentials: ${reasonOf(error)} (retrying in ${Math.ceil(retryInMs / 1000)} s)`);
    },
  });
  try {
    await refresher.refresh();
  } catch (error) {
    await session.close();
    throw new HelperError(`unable to obtain credentials at start-up, not serving: ${reasonOf(error)}`);
  }

  const server = await startImdsServer({
    host: HOST,
    port,
    roleName,
    // Never waits for a refresh while the held credentials are valid: SDKs give IMDS about a second.
    credentials: () => refresher.peek() ?? refresher.current(),
    lastUpdated: () => refresher.lastUpdated!,
    logger,
    naming: flagNaming,
    onSocket:
      socketTtl &&
      ((fd) => {
        try {
          socketTtl.setHopLimit(fd, hopLimit);
        } catch (error) {
          logger.warn(`unable to set the hop limit of a socket: ${reasonOf(error)}`);
        }
      }),
  }).catch(async (error: NodeJS.ErrnoException) => {
    await session.close();
    throw new HelperError(`failed to create listener on ${HOST}:${port}: ${error.code === 'EADDRINUSE' ? 'address already in use' : error.message}`);
  });
  serving = true;
  const background = refreshInBackground(refresher);
  logger.info(`Local server started on port: ${server.port}`);
  logger.info('Make it available to the sdk by running:');
  logger.info(`export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://${HOST}:${server.port}/`);

  const signal = await untilSignal(['SIGINT', 'SIGTERM']);
  logger.debug(`${signal} received: finishing requests in flight and stopping`);
  background.stop();
  await server.close();
  await session.close();
};
