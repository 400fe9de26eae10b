import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../log/logger.js';
import { checkEmulatorOptions, checkSerialNumber } from './checkEmulatorOptions.js';
import { createSession, type CreateSessionContext } from './createSession.js';
import { EmulatorSetupError, type EmulatorOptions, type EmulatorProfile, type EmulatorTrustAnchor } from './emulatorOptions.js';
import type { CredentialStore } from './credentialStore.js';
import { receiveRequest, sendReply, type EmulatorRequest, type Reply } from './httpExchange.js';
import { managementOperation } from './management/managementApi.js';
import { CrlRejected, inAnchorsScope, roleOutsideScope, RolesAnywhereResources, type TrustAnchorRecord } from './resources.js';
import { arnScope } from './arnScope.js';
import { partitionOfRegion } from './partitionOfRegion.js';
import * as x509 from '../peculiarX509.js';
import { ServiceError, notEmulated, serviceErrorReply } from './serviceErrors.js';
import { handleSts, type StsContext } from './sts/stsApi.js';
import { checkTlsIdentity } from './tlsIdentity.js';
import { normaliseSerial } from './verifyCertificates.js';
import type { AssumableRole, AssumedRoleSession, IssuedSession, Rejection, StsCall } from './records.js';

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
export async function startEmulator(given: EmulatorOptions = {}): Promise<RunningEmulator> {
  const options = checkEmulatorOptions(given);
  if (options.tls) checkTlsIdentity(options.tls);
  const now = options.now ? checkedClock(options.now) : () => new Date();
  const logger = options.logger ?? silentLogger;
  const resources = await loadResources(options, now);
  warnUnreachable(resources, options.assumableRoles ?? [], logger);

  const credentials: CredentialStore = new Map();
  const issued: IssuedSession[] = [];
  const rejections: Rejection[] = [];
  const refuse = (rejection: Rejection) => {
    rejections.push(rejection);
    logger.info(`${rejection.operation} refused: ${rejection.status} ${rejection.code}: ${rejection.message}`);
  };
  const createSessionContext: CreateSessionContext = {
    resources,
    credentials,
    now,
    maxSkewMs: options.maxClockSkewMs ?? 5 * 60_000,
    credentialLifetimeSeconds: options.credentialLifetimeSeconds,
  };
  const sts: StsContext = {
    credentials,
    region: resources.region,
    roles: options.assumableRoles ?? [],
    now,
    maxSkewMs: options.maxClockSkewMs ?? 15 * 60_000,
    credentialLifetimeSeconds: options.credentialLifetimeSeconds,
    calls: [],
    assumedRoles: [],
    reject: refuse,
  };
  const route = router({ resources, createSessionContext, sts, issued, refuse });
  const host = options.host ?? '127.0.0.1';
  const server = await listen(options, host, requestHandler(route, { rejections, refuse, logger, now }));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    // An IPv6 address in brackets: http://[::1]:4000 (http://::1:4000 is no URL).
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
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
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The trust anchors, profiles, CRLs and revoked serials of the options, each refused with its option's name when it cannot be. */
async function loadResources(options: EmulatorOptions, now: () => Date): Promise<RolesAnywhereResources> {
  const resources = new RolesAnywhereResources(options.region ?? 'us-east-1', options.accountId ?? '123456789012', now);
  for (const [index, anchor] of (options.trustAnchors ?? []).entries()) await addTrustAnchor(resources, anchor, `trustAnchors[${index}]`);
  for (const profile of options.profiles ?? []) {
    resources.addProfile({
      ...profile,
      maxDurationSeconds: profile.maxDurationSeconds ?? 43200,
      acceptRoleSessionName: profile.acceptRoleSessionName ?? false,
      enabled: profile.enabled ?? true,
    });
  }
  refuseSharedArns('trustAnchors', resources.trustAnchors);
  refuseSharedArns('profiles', resources.profiles);
  refuseRepeatedRoles(options.assumableRoles ?? []);
  for (const [index, pem] of (options.crls ?? []).entries()) {
    try {
      await resources.addCrlOfAnyAnchor(pem);
    } catch (error) {
      if (error instanceof CrlRejected) throw new EmulatorSetupError(`crls[${index}]`, error.message);
      throw error;
    }
  }
  for (const serial of options.revokedSerials ?? []) resources.revokedByHand.add(normaliseSerial(serial));
  return resources;
}

/**
 * Says which profiles and roles of the set-up CreateSession will refuse every time (of another account or
 * Region than their trust anchor's, a profile without roles), as the service would: a role ARN of a real account with accountId
 * left out, say; which assumable roles AssumeRole will (of another partition); and which trust anchor
 * certificates are no CA. They are kept, for tests of those refusals.
 */
function warnUnreachable(resources: RolesAnywhereResources, assumableRoles: readonly AssumableRole[], logger: Logger): void {
  for (const anchor of resources.trustAnchors) {
    for (const { parsed } of anchor.certificates) {
      // The workload's certificate given for its CA's, say: every CreateSession would be refused as "not issued by the trust anchor".
      if (!parsed.getExtension(x509.BasicConstraintsExtension)?.ca) logger.warn(`the trust anchor certificate ${parsed.subject} is not a CA (it has no basicConstraints CA:true): it verifies no certificate`);
    }
  }
  const partition = partitionOfRegion(resources.region);
  for (const [index, { roleArn }] of assumableRoles.entries()) {
    if (arnScope(roleArn).partition !== partition) logger.warn(`assumableRoles[${index}] (${roleArn}) is not of the emulator's partition (${partition}): AssumeRole will refuse it`);
  }
  for (const [index, profile] of resources.profiles.entries()) {
    // Without trust anchors yet, a set-up script creates them through the management API.
    const anchors = resources.trustAnchors;
    if (anchors.length > 0 && !anchors.some((anchor) => inAnchorsScope(profile.arn, anchor))) {
      logger.warn(`profiles[${index}] (${profile.arn}) is of no trust anchor's account and Region: CreateSession will refuse it`);
    }
    if (profile.roleArns.length === 0) logger.warn(`profiles[${index}] (${profile.arn}) has no roleArns: CreateSession will refuse it`);
    for (const roleArn of profile.roleArns) {
      const outside = roleOutsideScope(roleArn, profile.arn);
      if (outside) {
        logger.warn(`profiles[${index}]'s role ${roleArn} is not of the profile's ${outside}: CreateSession will refuse it (the emulator's account and Region set those)`);
      }
    }
  }
}

interface Services {
  readonly resources: RolesAnywhereResources;
  readonly createSessionContext: CreateSessionContext;
  readonly sts: StsContext;
  readonly issued: IssuedSession[];
  readonly refuse: (rejection: Rejection) => void;
}

/** Which service answers a request: STS at /, CreateSession, a management operation, else the "not emulated" refusal. */
function router({ resources, createSessionContext, sts, issued, refuse }: Services): (request: EmulatorRequest) => Promise<Reply> {
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
        `The emulator does not answer ${request.method} ${request.path}: it emulates CreateSession, STS, and the Create (ImportCrl), List, ` +
          'Get, Update, Enable, Disable and Delete operations of trust anchors, profiles and CRLs',
      );
    });
  };
}

interface Answering {
  readonly rejections: readonly Rejection[];
  readonly refuse: (rejection: Rejection) => void;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** Reads a request, routes it and sends the reply: a bug of the emulator's is a 500, and each request one log line. */
function requestHandler(route: (request: EmulatorRequest) => Promise<Reply>, { rejections, refuse, logger, now }: Answering) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let request: EmulatorRequest;
    try {
      request = await receiveRequest(req);
    } catch {
      // The client went away before its body arrived: there is no one to answer, and nothing to refuse.
      res.destroy();
      return;
    }
    let reply: Reply;
    const refusedBefore = rejections.length;
    try {
      reply = await route(request);
    } catch (error) {
      // A bug of the emulator's, not a refusal the services would make.
      reply = serviceErrorReply(new ServiceError(500, 'InternalServerError', String(error)));
      refuse({ operation: `${request.method} ${request.path}`, status: 500, code: 'InternalServerError', message: String(error) });
    }
    // A refusal was logged already, with its reason: one line per request.
    if (rejections.length === refusedBefore) logger.debug(`${request.method} ${request.path} answered ${reply.status}`);
    let date: Date;
    try {
      date = now();
    } catch {
      // A clock that went bad after the start: the reply says why (a 500 from route), dated by the system's.
      date = new Date();
    }
    sendReply(res, reply, request.requestId, date);
  };
}

/** An HTTP (or, with the tls option, HTTPS) server listening on `host` and the options' port. */
async function listen(options: EmulatorOptions, host: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<Server> {
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.certificate, key: options.tls.privateKey }, (req, res) => void handle(req, res))
    : createHttpServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/**
 * Refuses two resources of one ARN (the same name, or certificates or roles without one, derive the same
 * ID): the second could never be reached.
 */
function refuseSharedArns(option: 'trustAnchors' | 'profiles', records: readonly { readonly arn: string }[]): void {
  const first = new Map<string, number>();
  for (const [index, { arn }] of records.entries()) {
    const earlier = first.get(arn);
    if (earlier !== undefined) {
      const reason = `has the ARN of ${option}[${earlier}] (${arn}): give it a name of its own`;
      throw new EmulatorSetupError(`${option}[${index}]`, reason, `${option}[${index}] ${reason}`);
    }
    first.set(arn, index);
  }
}

/** Refuses a role given twice in assumableRoles: the second entry (another external ID, say) would be ignored. */
function refuseRepeatedRoles(roles: readonly AssumableRole[]): void {
  for (const [index, { roleArn }] of roles.entries()) {
    const earlier = roles.findIndex((role) => role.roleArn === roleArn);
    if (earlier < index) {
      throw new EmulatorSetupError(`assumableRoles[${index}]`, `repeats assumableRoles[${earlier}]'s role (${roleArn}): give each role once`);
    }
  }
}

/** Adds the trust anchor found at `where` (`trustAnchors[1]`), which errors name with its keys. */
async function addTrustAnchor(resources: RolesAnywhereResources, anchor: EmulatorTrustAnchor, where: string): Promise<void> {
  let record: TrustAnchorRecord;
  try {
    record = resources.addTrustAnchor({ ...anchor, enabled: anchor.enabled ?? true });
  } catch {
    throw new EmulatorSetupError(`${where}.certificates`, 'not PEM-encoded X.509 certificates');
  }
  for (const [index, pem] of (anchor.crls ?? []).entries()) {
    try {
      await resources.importCrl({ name: `${record.name}-crl-${index + 1}`, trustAnchorArn: record.arn, pem, enabled: true });
    } catch (error) {
      if (error instanceof CrlRejected) throw new EmulatorSetupError(`${where}.crls[${index}]`, error.setupReason);
      throw error;
    }
  }
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
