import { describe, expect, it, vi } from 'vitest';
import { ServiceCallError, HelperError } from '../../../src/errors.js';
import { firstThatAnswers, type Link } from '../../../src/credentials/firstThatAnswers.js';
import type { Logger } from '../../../src/log/logger.js';
import type { TemporaryCredentials } from '../../../src/temporaryCredentials.js';

const credentials = (accessKeyId: string): TemporaryCredentials => ({
  accessKeyId,
  secretAccessKey: 's',
  sessionToken: 't',
  expiration: new Date(Date.now() + 3_600_000),
  expirationText: '',
});
const unreachable = (what: string) => new ServiceCallError(`${what} unreachable`, { tryNextLink: true });
const mistake = (what: string) => new ServiceCallError(`${what}: a mistake of ours`);
const refusal = (what: string) => new ServiceCallError(`${what}: AccessDenied`, { answer: { statusCode: 403, requestId: 'r', code: 'AccessDenied' } });

function debugLines(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug: (line: string) => lines.push(line), info: () => {}, warn: (line: string) => lines.push(line), error: () => {} };
}

/** A link answering with each outcome in turn (credentials, or an error to throw), noting the deadlines it was given. */
function link(name: string, outcomes: (TemporaryCredentials | Error)[], deadlines: number[] = []): Link {
  return {
    name,
    provider: async (deadline) => {
      deadlines.push(deadline!);
      const outcome = outcomes.shift()!;
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

describe('firstThatAnswers', () => {
  it('gives the first link\'s credentials, else the next\'s when the failure says another may do better, and says which answered', async () => {
    const logger = debugLines();
    const provider = firstThatAnswers(
      [link('us-east-1 (primary)', [unreachable('east'), credentials('east')]), link('us-west-2 (fallback 1)', [credentials('west')])],
      { boundMs: 30_000, logger },
    );
    expect((await provider()).accessKeyId).toBe('west');
    expect(logger.lines).toEqual([
      'us-east-1 (primary) could not issue credentials; trying us-west-2 (fallback 1): east unreachable',
      'credentials issued by us-west-2 (fallback 1), after us-east-1 (primary): east unreachable',
    ]);
    // Each call starts at the first again: the primary, recovered, answers, and that is no news.
    logger.lines.length = 0;
    expect((await provider()).accessKeyId).toBe('east');
    expect(logger.lines).toEqual(['credentials issued by us-east-1 (primary)']);
  });

  it('reports a mistake of the caller\'s at once, as it is, without trying other links', async () => {
    const west: number[] = [];
    const error = new HelperError('unable to parse private key k.pem: wrong password');
    const provider = firstThatAnswers([link('east', [error]), link('west', [credentials('west')], west)], { boundMs: 30_000, logger: debugLines() });
    await expect(provider()).rejects.toBe(error);
    expect(west).toEqual([]);
  });

  it('names the Region of a refusal that ends the call, and the links it left untried (QA, chaining and fallback)', async () => {
    const west: number[] = [];
    const refused = refusal('east');
    const provider = firstThatAnswers(
      [link('us-east-1 (primary)', [refused]), link('us-west-2 (fallback 1)', [credentials('west')], west), link('eu-west-1 (fallback 2)', [])],
      { boundMs: 30_000, logger: debugLines() },
    );
    const error = await provider().catch((failure: unknown) => failure);
    expect(error).toEqual(
      new HelperError('no Region issued credentials: us-east-1 (primary): east: AccessDenied; not tried after that answer: us-west-2 (fallback 1), eu-west-1 (fallback 2)'),
    );
    expect((error as Error).cause).toBe(refused);
    expect(west).toEqual([]);
    // A failure of the first link with no answer (a TLS setting, a proxy's URL) is its own, as it is (review).
    const unanswered = mistake('east');
    await expect(firstThatAnswers([link('east', [unanswered]), link('west', [credentials('west')], west)], { boundMs: 30_000, logger: debugLines() })()).rejects.toBe(unanswered);
    expect(west).toEqual([]);
  });

  it('says what each link said when none answers, in one line', async () => {
    const provider = firstThatAnswers(
      [link('us-east-1 (primary)', [unreachable('east')]), link('us-west-2 (fallback 1)', [unreachable('west')])],
      { boundMs: 30_000, logger: debugLines() },
    );
    await expect(provider()).rejects.toThrow(new HelperError('no Region issued credentials: us-east-1 (primary): east unreachable; us-west-2 (fallback 1): west unreachable'));
    const stopped = firstThatAnswers([link('east', [unreachable('east')]), link('west', [mistake('west')]), link('north', [])], { boundMs: 30_000, logger: debugLines() });
    await expect(stopped()).rejects.toThrow(new HelperError('no Region issued credentials: east: east unreachable; west: west: a mistake of ours; not tried after that failure: north'));
    const last = firstThatAnswers([link('east', [unreachable('east')]), link('west', [mistake('west')])], { boundMs: 30_000, logger: debugLines() });
    await expect(last()).rejects.toThrow(new HelperError('no Region issued credentials: east: east unreachable; west: west: a mistake of ours'));
  });

  it('gives each link an equal share of the time left, and the last all of it', async () => {
    let clock = 1_000;
    const deadlines: number[][] = [[], [], []];
    const slow = (i: number, spentMs: number): Link => ({
      name: `link ${i}`,
      provider: async (deadline) => {
        deadlines[i]!.push(deadline!);
        clock += spentMs;
        if (i < 2) throw unreachable(`link ${i}`);
        return credentials('last');
      },
    });
    const provider = firstThatAnswers([slow(0, 3_000), slow(1, 1_000), slow(2, 0)], { boundMs: 30_000, logger: debugLines(), now: () => clock });
    await provider();
    expect(deadlines).toEqual([[1_000 + 10_000], [4_000 + 13_500], [5_000 + 26_000]]);
  });

  it('gives each link a deadline on the clock its call will read, even one a test set after the provider was made', async () => {
    const deadlines: number[] = [];
    const provider = firstThatAnswers([link('east', [unreachable('east')], deadlines), link('west', [credentials('west')], deadlines)], { boundMs: 30_000, logger: debugLines() });
    // A suite's fake clock, installed after the provider was made, set a day ahead (the credentials it held expired).
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 86_400_000);
      await provider();
      expect(deadlines).toEqual([Date.now() + 15_000, Date.now() + 30_000]);
    } finally {
      vi.useRealTimers();
    }
  });
});
