import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../src/log/logger.js';
import { reloadOnChange } from '../../../src/keys/reloadOnChange.js';

const folder = mkdtempSync(join(tmpdir(), 'rah-reload-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A logger that keeps its debug lines. */
function recordingLogger(): { logger: Logger; debug: string[] } {
  const debug: string[] = [];
  return { logger: { ...silentLogger, debug: (...line) => debug.push(line.join(' ')) }, debug };
}

describe('reloadOnChange', () => {
  it('loads once while the files stay as they are, and again, saying so, when one changes on disk', async () => {
    const path = join(folder, 'cert.pem');
    writeFileSync(path, 'first');
    const { logger, debug } = recordingLogger();
    let loads = 0;
    const current = reloadOnChange([path, undefined, { content: Buffer.from('inline'), name: 'inline' }], async () => ++loads, logger, 'files changed');
    expect([await current(), await current()]).toEqual([1, 1]);
    expect(debug).toEqual([]);
    writeFileSync(path, 'renewed');
    utimesSync(path, new Date(), new Date(Date.now() + 60_000));
    expect([await current(), await current()]).toEqual([2, 2]);
    expect(debug).toEqual(['files changed']);
  });

  it('lets callers at the same time share one loading and its failure, and loads again for the next caller', async () => {
    let loads = 0;
    let fail = true;
    const current = reloadOnChange(
      [],
      async () => {
        loads++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (fail) throw new Error('wrong password');
        return loads;
      },
      silentLogger,
      'files changed',
    );
    const outcomes = await Promise.allSettled([current(), current(), current()]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(loads).toBe(1);
    fail = false;
    expect(await Promise.all([current(), current()])).toEqual([2, 2]);
  });
});
