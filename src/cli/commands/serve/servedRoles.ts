import type { Context } from '../../../context.js';
import { CredentialRefresher } from '../../../credentials/credentialRefresher.js';
import type { CredentialProvider } from '../../../credentials/credentialProvider.js';
import { refreshInBackground } from '../../../credentials/refreshInBackground.js';
import { SERVE_REFRESH_POLICY } from '../../../credentials/refreshPolicies.js';
import { keySourceOnFirstUse } from '../../../credentials/keySourceOnFirstUse.js';
import { rolesAnywhereSession, type RolesAnywhereSession } from '../../../credentials/rolesAnywhereSession.js';
import { HelperError, InterruptedError, reasonOf } from '../../../errors.js';
import { ignoreLog, type Logger } from '../../../log/logger.js';
import { nameOptions } from '../../../optionNames.js';
import type { ServedRole } from '../../../outputs/httpServer/servedRole.js';
import type { KeySourceOptions } from '../../../keys/keySource.js';
import { keySourceOptions, sessionOptions } from '../../commandOptions.js';
import { keyOf, type RoleSettings } from './rolesFile.js';

/** How long a request waits, when no valid credentials are held, for the attempt it starts. */
const NONE_VALID_WAIT_MS = 800;

/** The roles serve hands out, each with its session and its own refresh. */
export interface ServedRoles {
  readonly served: readonly ServedRole[];
  /** The first role's Region: --region, or its trust anchor's. */
  readonly region: string;
  /** Starts each role's refresh ahead of expiry; from now on failures are logged, not thrown. */
  refreshInBackground(): void;
  /** Stops the refreshes and closes the sessions and key sources. */
  close(): Promise<void>;
}

/** The time between two of the roles' CreateSessions: five a second, half the service's default quota. */
const START_INTERVAL_MS = 200;

/**
 * Checks every role's settings, then obtains each role's first credentials, failing if any cannot be had
 * (serve refuses to start without credentials). Roles that name the same key share one key source: one
 * PKCS#11 login, one password prompt.
 */
export async function startRoles(roles: readonly RoleSettings[], context: Context): Promise<ServedRoles> {
  const { logger } = context;
  // By the key flags as given: each key's inputs are read once (standard input can be read only once).
  const keys = new Map<string, { readonly options: KeySourceOptions; readonly source: ReturnType<typeof keySourceOnFirstUse> }>();
  const sessions: RolesAnywhereSession[] = [];
  const closeAll = async () => {
    await Promise.all(sessions.map((session) => session.close()));
    await Promise.all([...keys.values()].map((key) => key.source.close()));
  };
  try {
    for (const role of roles) {
      const keyId = keyOf(role);
      let key = keys.get(keyId);
      if (!key) {
        const options = withOrigin(role, () => keySourceOptions(role.flags, context));
        key = { options, source: keySourceOnFirstUse(options, context) };
        keys.set(keyId, key);
      }
      const { options, source } = key;
      sessions.push(withOrigin(role, () => rolesAnywhereSession({ ...options, ...sessionOptions(role.flags) }, roleContext(role, context), source.open)));
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  let serving = false; // a failure at start-up ends the command; later ones are logged and retried
  // Paced: a roles file of many roles would otherwise make all its CreateSessions in the same second, at
  // start and again at each refresh, past the service's quota (10 a second per account and Region), and be
  // throttled out of starting (QA: 40 roles). Every CreateSession keeps the pace, not only the first ones:
  // after a resume, a clock step or an outage all the roles ask again at once, and their credentials would
  // expire, and be refreshed, together from then on (QA). Each waits for the one before it to have started:
  // a busy event loop delays them, never bunches them; a slow one holds up none.
  // Once one has failed at start, serve will not start: the turns still to come follow at once (within the
  // interval under way), and their roles are not tried (QA: 40 roles took 8 s to say the third had failed).
  let turn: Promise<unknown> = Promise.resolve();
  let someFailed = false;
  const refreshers = roles.map((role, index) => {
    // The same failure again (its request ID and numbers aside: a clock off is refused with both times, to
    // the second) before the retry time it was logged with is not logged again: requests start attempts of
    // their own once the credentials have expired, up to one a second.
    let logged: { failure: string; at: number; until: number } | undefined;
    // A role of a roles file is named, even the only one; the command line's needs no name.
    const which = role.origin ? `role ${role.name}: ` : '';
    const paced: CredentialProvider = (options) => {
      const mine = turn;
      turn = mine.then(() => (someFailed ? undefined : new Promise((resolve) => setTimeout(resolve, START_INTERVAL_MS))));
      return mine.then(() => {
        if (someFailed) throw new Error('not tried: an earlier role failed');
        return sessions[index]!.getCredentials(options);
      });
    };
    return new CredentialRefresher(paced, {
      ...SERVE_REFRESH_POLICY,
      // The end of an outage is said too: the last line an operator sees is otherwise its error (QA).
      onRefresh: () => {
        if (serving && logged) logger.info(`${which}credentials refreshed again: the failures logged before have ended`);
        logged = undefined;
      },
      onFailure: (error, retryInMs) => {
        if (!serving) return;
        if (error instanceof InterruptedError) return error.raise();
        const line = `${which}Error generating credentials: ${reasonOfRole(role, error)}`;
        const failure = line.replace(/RequestID: [^,]*|\d+/g, '');
        const now = Date.now();
        // (A clock set back since it was logged ends the quiet, as it restarts the backoff.)
        if (logged?.failure === failure && now >= logged.at && now < logged.until) return;
        logged = { failure, at: now, until: now + retryInMs };
        logger.error(`${line} (retrying in ${Math.ceil(retryInMs / 1000)} s)`);
      },
    });
  });
  const first = await Promise.allSettled(
    refreshers.map((refresher) =>
      refresher.refresh().catch((error: unknown) => {
        someFailed = true;
        throw error;
      }),
    ),
  );
  const failed = first.findIndex((result) => result.status === 'rejected');
  if (failed !== -1) {
    await closeAll();
    const { reason } = first[failed] as PromiseRejectedResult;
    if (reason instanceof InterruptedError) throw reason; // Ctrl-C at a prompt: no failure to report
    const which = roles[failed]!.origin ? ` for ${roles[failed]!.origin}` : '';
    throw new HelperError(`unable to obtain credentials${which} at start-up, not serving: ${reasonOfRole(roles[failed]!, reason)}`);
  }

  let background: { stop(): Promise<void> }[] = [];
  return {
    served: roles.map((role, index) => {
      const refresher = refreshers[index]!;
      return {
        name: role.name,
        // Never waits for a refresh while the held credentials are valid: SDKs give a credentials endpoint about
        // a second. With none valid, the attempt the request starts is given most of that (QA: boto3, which
        // asks once, got a 500 though the service was back and answered within it).
        credentials: () => refresher.peek() ?? refresher.current(NONE_VALID_WAIT_MS),
        lastUpdated: () => refresher.lastUpdated!,
      };
    }),
    region: sessions[0]!.config.signingRegion,
    refreshInBackground: () => {
      serving = true;
      background = refreshers.map((refresher) => refreshInBackground(refresher));
    },
    close: async () => {
      // Closing the sessions stops a refresh in flight, which is no failure to log.
      serving = false;
      // Not waited for: a refresh in flight ends as its session closes.
      for (const refresh of background) void refresh.stop();
      await closeAll();
    },
  };
}

/**
 * The context a role's session logs with: a role of a roles file begins its lines (`waiting for … to answer
 * CreateSession`) with `role NAME: `, as its errors do; two roles' lines would otherwise be the same.
 */
function roleContext(role: RoleSettings, context: Context): Context {
  if (!role.origin) return context;
  const { logger } = context;
  const named = (level: keyof Logger) =>
    logger[level] === ignoreLog ? ignoreLog : (...content: unknown[]) => logger[level](`role ${role.name}:`, ...content);
  return { ...context, logger: { debug: named('debug'), info: named('info'), warn: named('warn'), error: named('error') } };
}

/** Runs `make`, beginning the message of a HelperError it throws with where the role was declared. */
function withOrigin<T>(role: RoleSettings, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (!role.origin || !(error instanceof HelperError)) throw error;
    throw new HelperError(`${role.origin}: ${reasonOfRole(role, error)}`, { cause: error });
  }
}

/** An error's reason, the options the role gives in its roles file named as its settings. */
function reasonOfRole(role: RoleSettings, error: unknown): string {
  return role.naming ? nameOptions(reasonOf(error), role.naming) : reasonOf(error);
}
