import type { AddressInfo } from 'node:net';
import { canonicalAddress, urlHost } from '../hostAndPort.js';
import { silentLogger } from '../log/logger.js';
import { printableLogger } from '../log/printable.js';
import { checkEmulatorOptions, checkSerialNumber } from './checkEmulatorOptions.js';
import type { CreateSessionContext } from './createSession.js';
import { EmulatorSetupError, type EmulatorOptions, type EmulatorProfile, type EmulatorTrustAnchor } from './emulatorOptions.js';
import type { CredentialStore } from './credentialStore.js';
import { listen, requestHandler, router } from './emulatorServer.js';
import { loadResources, warnUnreachable } from './loadResources.js';
import type { StsContext } from './sts/stsApi.js';
import { checkTlsIdentity } from './tlsIdentity.js';
import { normaliseSerial } from './verifyCertificates.js';
import type { AssumedRoleSession, IssuedSession, Rejection, StsCall } from './records.js';

/** How far a request's X-Amz-Date may be from the emulator's clock: 15 minutes, as AWS's services allow (their refusals say "- 15 min."). */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export { EmulatorSetupError, type EmulatorOptions, type EmulatorProfile, type EmulatorTrustAnchor };

/** A trust anchor or profile the emulator holds, from the options or the management API. */
export interface EmulatorResource {
  readonly arn: string;
  readonly name: string;
  readonly enabled: boolean;
}

export interface EmulatorProfileView extends EmulatorResource {
  readonly roleArns: readonly string[];
  readonly maxDurationSeconds: number;
  readonly acceptRoleSessionName: boolean;
}

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:43817`: CreateSession, STS and the management API all answer there. */
  readonly url: string;
  /** The Region its ARNs name and its STS signs for (the option's, else us-east-1). */
  readonly region: string;
  /** The trust anchors as they are now (the management API's changes too), each read as a copy. */
  readonly trustAnchors: readonly EmulatorResource[];
  /** The profiles as they are now, each read as a copy. */
  readonly profiles: readonly EmulatorProfileView[];
  /** Credentials CreateSession issued, oldest first. */
  readonly issued: readonly IssuedSession[];
  /** Credentials STS AssumeRole issued, oldest first. */
  readonly assumedRoles: readonly AssumedRoleSession[];
  /** Every STS request, answered or refused. */
  readonly stsCalls: readonly StsCall[];
  /** Every refused request (CreateSession, STS and management). */
  readonly rejections: readonly Rejection[];
  /** Revokes a serial number (hex), as an imported CRL entry would; anything else is an EmulatorSetupError. */
  revoke(serialNumberHex: string): void;
  /** Empties issued, assumedRoles, stsCalls and rejections (between tests); what was issued stays valid. */
  clearRecords(): void;
  close(): Promise<void>;
  /** close(), for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A local IAM Roles Anywhere and STS on one port, which check requests as the services do and independently
 * of any client's code: CreateSession (SigV4-X509 signature, date skew, certificate chain, revocation,
 * ARNs, duration, session name), STS GetCallerIdentity and AssumeRole (SigV4 signatures verified with the
 * secret keys it issued), and the management API of trust anchors, profiles and CRLs (Create, or ImportCrl,
 * List, Get, Update, Enable, Disable, Delete). Refusals use the services' error shapes.
 */
export function startEmulator(given?: EmulatorOptions): Promise<RunningEmulator>;
/** @internal keepRecords false: the command's, which keeps none (nothing reads them). */
export function startEmulator(given: EmulatorOptions, keepRecords: false): Promise<RunningEmulator>;
export async function startEmulator(given: EmulatorOptions = {}, keepRecords = true): Promise<RunningEmulator> {
  const options = checkEmulatorOptions(given);
  if (options.tls) checkTlsIdentity(options.tls);
  const now = options.now ? checkedClock(options.now) : () => new Date();
  // One printable line a message, as the CLI's logger writes them: a refusal quotes what a request sent (an
  // Action name), whose line break would forge a line of the caller's log (QA).
  const logger = printableLogger(options.logger ?? silentLogger);
  const resources = await loadResources(options, now);
  warnUnreachable(resources, options.assumableRoles ?? [], logger);

  const credentials: CredentialStore = new Map();
  // The records a program's tests read, which the command would keep, unread, for days (QA: 1.3 KB a session).
  const records = <T>(): T[] => (keepRecords ? [] : Object.assign([], { push: () => 0 }));
  const issued = records<IssuedSession>();
  const rejections = records<Rejection>();
  const refuse = (rejection: Rejection, reason?: string) => {
    rejections.push(rejection);
    logger.info(`${rejection.operation} refused: ${rejection.status} ${rejection.code}: ${rejection.message.trimEnd()}${reason ? ` (${reason})` : ''}`);
  };
  const createSessionContext: CreateSessionContext = {
    resources,
    credentials,
    now,
    maxSkewMs: options.maxClockSkewMs ?? MAX_CLOCK_SKEW_MS,
    credentialLifetimeSeconds: options.credentialLifetimeSeconds,
  };
  const sts: StsContext = {
    credentials,
    region: resources.region,
    roles: options.assumableRoles ?? [],
    now,
    maxSkewMs: options.maxClockSkewMs ?? MAX_CLOCK_SKEW_MS,
    credentialLifetimeSeconds: options.credentialLifetimeSeconds,
    calls: records(),
    assumedRoles: records(),
    reject: refuse,
  };
  const route = router({ resources, createSessionContext, sts, issued, refuse });
  const host = options.host ?? '127.0.0.1';
  const server = await listen({ ...options, logger }, host, requestHandler(route, { refuse, logger, now }), refuse);
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url: `${options.tls ? 'https' : 'http'}://${emulatorHost(host)}:${port}`,
    region: resources.region,
    // Copies of what the type says, not the records (QA: a test's deepEqual met their certificates, and a
    // write through a cast changed what the emulator does).
    get trustAnchors() {
      return resources.trustAnchors.map(({ arn, name, enabled }) => ({ arn, name, enabled }));
    },
    get profiles() {
      return resources.profiles.map(({ arn, name, enabled, roleArns, maxDurationSeconds, acceptRoleSessionName }) => ({
        arn, name, enabled, roleArns: [...roleArns], maxDurationSeconds, acceptRoleSessionName,
      }));
    },
    issued,
    assumedRoles: sts.assumedRoles,
    stsCalls: sts.calls,
    rejections,
    revoke: (serial) => {
      // Checked and normalised as the revokedSerials option is: a serial that could match nothing is a mistake.
      resources.revokedByHand.add(normaliseSerial(checkSerialNumber(serial, 'revoke(serialNumberHex)')));
    },
    clearRecords: () => {
      for (const records of [issued, sts.assumedRoles, sts.calls, rejections]) records.length = 0;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * The given clock, held to what it promises (a Date that is a time), read once here: a clock that returns
 * anything else fails startEmulator, or later the request, with that reason rather than a TypeError.
 */
function checkedClock(clock: () => Date): () => Date {
  const read = () => {
    const date: unknown = clock();
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new EmulatorSetupError('now', 'returned no valid Date', 'now must return a valid Date');
    return date;
  };
  read();
  return read;
}

/**
 * The host of the emulator's URL: a loopback address for the wildcards, in any spelling, as serve prints
 * them (a client given 0.0.0.0 would take it for a remote host, and send through a proxy), an IPv4-mapped
 * address as the IPv4 address it maps, and an IPv6 address in brackets (http://::1:4000 is no URL).
 */
function emulatorHost(host: string): string {
  const address = canonicalAddress(host);
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return urlHost(address);
}
