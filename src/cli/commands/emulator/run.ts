import { HelperError } from '../../../errors.js';
import { addressWithPort, hostAndPort } from '../../../hostAndPort.js';
import { writeOut } from '../../../stdio.js';
import type { CommandRun } from '../../command.js';
import { filePathFlag } from '../../flagSources.js';
import { checkedPort } from '../../portFlag.js';
import { STOP_SIGNALS } from '../../../signalListeners.js';
import { untilSignal } from '../../signals.js';
import { listenFailure } from '../../../outputs/httpServer/listenFailure.js';
import { REGION } from '../../../emulator/checkEmulatorOptions.js';
import { setupFromConfig, setupFromFlags, type EmulatorSetup } from './emulatorSetup.js';
import type { EMULATOR_FLAGS } from './flags.js';

/**
 * `emulator`: a local IAM Roles Anywhere and STS for tests. Prints where it listens and the ARNs it accepts
 * as one line of JSON on stdout, logs refused requests on stderr, and stops on SIGINT, SIGTERM or SIGHUP.
 */
export const run: CommandRun<typeof EMULATOR_FLAGS> = async (flags, context) => {
  const { logger } = context;
  const port = checkedPort(flags.port);
  // An IPv6 address may be given in brackets, as a URL writes it.
  const host = flags.host.replace(/^\[(.*)\]$/, '$1');
  if (!/^\S+$/.test(host)) throw new HelperError(`invalid --host ${JSON.stringify(host)}: it must be a host name or IP address`);
  // `127.0.0.1:4000` or `[::1]:4000`, as a URL writes it, said as serve's --bind says it (QA: "no such host").
  const withPort = addressWithPort(flags.host);
  if (withPort !== undefined) throw new HelperError(`invalid --host ${JSON.stringify(flags.host)}: give the address alone (${withPort}), and the port with --port`);
  const zone = host.indexOf('%');
  if (zone !== -1) {
    throw new HelperError(`invalid --host ${JSON.stringify(flags.host)}: an IPv6 address with a zone (${host.slice(zone)}) cannot be in the endpoint's URL, which clients refuse; give another address of the interface`);
  }
  const lifetime = flags['credential-lifetime'];
  if (!Number.isInteger(lifetime) || lifetime < 0 || lifetime > 43200) {
    throw new HelperError(`invalid --credential-lifetime ${lifetime}: it must be 1 to 43200 seconds (or 0: as asked)`);
  }
  const certificate = filePathFlag('trust-anchor-certificate', flags['trust-anchor-certificate']);
  const crl = filePathFlag('crl', flags.crl);
  if (crl !== undefined && certificate === undefined) throw new HelperError('--crl needs the --trust-anchor-certificate whose CA signed it');
  // An empty one, an unset variable's (`--region "$REGION"`), is refused rather than taken for the default.
  if (flags.region !== undefined && !REGION.test(flags.region)) throw new HelperError(`invalid --region ${flags.region || '""'}: not a Region such as eu-west-1`);
  const configPath = filePathFlag('config', flags.config);
  const config = configPath ? setupFromConfig(configPath) : undefined;
  const setup: EmulatorSetup = config?.setup ?? (certificate ? setupFromFlags(certificate, crl, flags.region || undefined) : {});
  // A config's region was checked as it was read (setupFromConfig).
  const region = flags.region || setup.region;

  const { startEmulator, EmulatorSetupError } = await import('../../../emulator/index.js');
  const emulator = await startEmulator({ ...setup, region, host, port, logger, credentialLifetimeSeconds: lifetime || undefined }, false).catch((error: NodeJS.ErrnoException) => {
    if (error instanceof EmulatorSetupError) {
      // From the command line, the emulator refuses the trust anchor's CRL or, though they were read, its
      // certificates (one the helper's own reader takes and the emulator's, or OpenSSL, does not).
      if (!config) {
        const flag = error.subject.includes('.crls') ? `--crl ${crl}` : `--trust-anchor-certificate ${certificate}`;
        throw new HelperError(`invalid ${flag}: ${error.reason}`);
      }
      const file = config.files.get(error.subject);
      throw new HelperError(`invalid emulator config ${configPath}: ${file === undefined ? error.message : `${error.subject} (${file}): ${error.reason}`}`);
    }
    // listen()'s own failures (a port in use, or below 1024 without privileges); anything else is a bug.
    if (error.syscall === 'getaddrinfo') throw new HelperError(`invalid --host ${JSON.stringify(flags.host)}: no such host (${error.code})`, { cause: error });
    if (error.syscall === 'listen') throw new HelperError(`failed to listen on ${hostAndPort(host, port)}: ${listenFailure(error)}`, { cause: error });
    throw error;
  });
  // Listening for the signals before saying where it listens: a script may stop it as soon as it reads that.
  const stopped = untilSignal(STOP_SIGNALS);
  const trustAnchors = emulator.trustAnchors.map(({ name, arn }) => ({ name, arn }));
  const profiles = emulator.profiles.map(({ name, arn, roleArns }) => ({ name, arn, roleArns }));
  writeOut(
    `${JSON.stringify({
      endpoint: emulator.url,
      region: emulator.region,
      trustAnchorArn: trustAnchors[0]?.arn,
      profileArn: profiles[0]?.arn,
      roleArn: profiles[0]?.roleArns[0],
      trustAnchors,
      profiles,
      assumableRoleArns: (setup.assumableRoles ?? []).map((role) => role.roleArn),
    })}\n`,
  );
  logger.info(`Roles Anywhere emulator listening on ${emulator.url} (CreateSession, STS, management API)`);

  const signal = await stopped;
  logger.debug(`${signal} received: stopping`);
  await emulator.close();
};
