import { HelperError, reasonOf, ServiceCallError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import type { BoundedProvider, CredentialProvider } from './credentialProvider.js';

/** One provider of several to try: a Region, named for messages. */
export interface Link {
  readonly name: string;
  readonly provider: BoundedProvider;
}

export interface FirstThatAnswersOptions {
  /** The time all links together may take, from the call to credentials or an error. */
  readonly boundMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Region fallback as a wrapper: asks each link in order, every call starting again at the first (so that
 * a long-running sink returns to the primary once it recovers), and moves on only when a link's failure
 * says another may do better (`tryNextLink`, as the AWS SDK's credential chains say it): a mistake of the
 * caller's is reported at once, not tried in every Region. Each link gets an equal share of the time left
 * (the last all of it), so that the whole call stays within one bound whatever hangs. When every link
 * fails, one error says what each said; when a later link answers, a warning says what the earlier ones did.
 * A service's answer that ends the call names its Region and the links left untried, as every failure
 * after another's does; another failure of the first link (a key, a certificate, a TLS setting) is its own.
 */
export function firstThatAnswers(links: readonly Link[], options: FirstThatAnswersOptions): CredentialProvider {
  const now = options.now ?? (() => Date.now());
  const { logger } = options;
  return async (fetchOptions): Promise<TemporaryCredentials> => {
    const deadline = now() + options.boundMs;
    const failures: string[] = [];
    let last: unknown;
    for (const [i, link] of links.entries()) {
      const left = Math.max(0, deadline - now());
      const share = i === links.length - 1 ? left : left / (links.length - i);
      try {
        const credentials = await link.provider(now() + share, fetchOptions);
        // A Region passed over is news for whoever runs this, whatever the level: the primary is failing.
        if (failures.length > 0) logger.warn(`credentials issued by ${link.name}, after ${failures.join('; ')}`);
        else logger.debug(`credentials issued by ${link.name}`);
        return credentials;
      } catch (error) {
        const failure = `${link.name}: ${reasonOf(error)}`;
        if (!triesNextLink(error)) {
          const answered = error instanceof ServiceCallError && error.$metadata !== undefined;
          if (failures.length === 0 && !answered) throw error;
          const untried = links.slice(i + 1).map(({ name }) => name);
          const after = untried.length > 0 ? `; not tried after that ${answered ? 'answer' : 'failure'}: ${untried.join(', ')}` : '';
          throw new HelperError(`no Region issued credentials: ${[...failures, failure].join('; ')}${after}`, { cause: error });
        }
        failures.push(failure);
        last = error;
        const next = links[i + 1];
        logger.debug(`${link.name} could not issue credentials${next ? `; trying ${next.name}` : ''}: ${reasonOf(error)}`);
      }
    }
    // The last Region's failure as the cause: what kind of failure it was (a credential cache asks).
    throw new HelperError(`no Region issued credentials: ${failures.join('; ')}`, { cause: last });
  };
}

function triesNextLink(error: unknown): boolean {
  return (error as { tryNextLink?: unknown } | null)?.tryNextLink === true;
}
