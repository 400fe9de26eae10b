import { describe, expect, it } from 'vitest';
import { libraryLogger } from '../../../src/library/libraryLogger.js';
import { ignoreLog, logsDebug, silentLogger } from '../../../src/log/logger.js';
import { option } from '../../../src/optionNames.js';

describe("libraryLogger: the caller's logger, options named as the library names them", () => {
  it('keeps the silent default silent: debug lines are not built for nobody', () => {
    const logger = libraryLogger(silentLogger);
    expect(logsDebug(logger)).toBe(false);
    expect(Object.values(logger).every((level) => level === ignoreLog)).toBe(true);
  });

  it("passes a caller's lines on, naming options by their library names, on the caller's logger", () => {
    const lines: unknown[][] = [];
    const caller = { debug: ignoreLog, info: ignoreLog, warn: (...content: unknown[]) => lines.push(content), error: ignoreLog };
    const logger = libraryLogger(caller);
    expect(logsDebug(logger)).toBe(false);
    logger.warn(`check ${option('durationSeconds')}`, 42);
    expect(lines).toEqual([['check durationSeconds', 42]]);
  });
});
