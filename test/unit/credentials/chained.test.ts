import { describe, expect, it } from 'vitest';
import { chained, SOURCE_REUSE_MARGIN_MS } from '../../../src/credentials/chained.js';
import type { TemporaryCredentials } from '../../../src/temporaryCredentials.js';

const credentials = (accessKeyId: string, expiresAt: number): TemporaryCredentials => ({
  accessKeyId,
  secretAccessKey: 's',
  sessionToken: 't',
  expiration: new Date(expiresAt),
  expirationText: new Date(expiresAt).toISOString(),
});

describe('chained', () => {
  it('exchanges the source\'s credentials, reusing them while they are valid beyond the margin', async () => {
    let clock = 0;
    let issued = 0;
    const sources: number[] = [];
    const exchanged: string[] = [];
    const provider = chained(
      async (deadline) => {
        sources.push(deadline ?? -1);
        return credentials(`source-${++issued}`, clock + 3_600_000);
      },
      async (source, deadline) => {
        exchanged.push(`${source.accessKeyId}@${deadline}`);
        return credentials(`chained-from-${source.accessKeyId}`, clock + 3_600_000);
      },
      { now: () => clock },
    );
    expect((await provider(100)).accessKeyId).toBe('chained-from-source-1');
    clock = 3_600_000 - SOURCE_REUSE_MARGIN_MS - 1; // one refresh later: the source is still good
    expect((await provider(200)).accessKeyId).toBe('chained-from-source-1');
    clock += 1; // within the margin: a new source session
    expect((await provider(300)).accessKeyId).toBe('chained-from-source-2');
    expect(sources).toEqual([100, 300]);
    expect(exchanged).toEqual(['source-1@100', 'source-1@200', 'source-2@300']);
  });

  it('passes on what fails, and tries the source again next time if it failed', async () => {
    let fail = true;
    const provider = chained(
      async () => {
        if (fail) throw new Error('CreateSession failed');
        return credentials('source', Date.now() + 3_600_000);
      },
      async (source) => credentials(`chained-from-${source.accessKeyId}`, Date.now() + 3_600_000),
    );
    await expect(provider()).rejects.toThrow('CreateSession failed');
    fail = false;
    expect((await provider()).accessKeyId).toBe('chained-from-source');
  });
});
