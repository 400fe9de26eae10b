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

  it("writes out control characters in the lines it passes on (a server's text in them), keeping line breaks and other Unicode", () => {
    const lines: unknown[][] = [];
    const logger = libraryLogger({ debug: (...content: unknown[]) => lines.push(content), info: ignoreLog, warn: ignoreLog, error: ignoreLog });
    logger.debug('body: {"message":"no\r\x1b[32mOK\u009b"}\nnext line, café', 7);
    expect(lines).toEqual([['body: {"message":"no\\x0d\\x1b[32mOK\\x9b"}\nnext line, café', 7]]);
  });

  it('folds the line breaks of an info, warning or error line into one space, as the CLI does (a path holding one forged a line of the caller\'s log), keeping debug\'s', () => {
    const lines: unknown[][] = [];
    const push = (...content: unknown[]) => lines.push(content);
    const logger = libraryLogger({ debug: push, info: push, warn: push, error: push });
    const failure = 'could not parse certificate /tmp/a\n2026-12-06T00:00:00Z forged: it is empty';
    logger.info(failure);
    logger.warn(`refreshing the credentials failed: ${failure}`, 3);
    logger.error(failure);
    logger.debug('canonical request:\nPOST');
    const folded = 'could not parse certificate /tmp/a 2026-12-06T00:00:00Z forged: it is empty';
    expect(lines).toEqual([[folded], [`refreshing the credentials failed: ${folded}`, 3], [folded], ['canonical request:\nPOST']]);
  });

  it("calls each level as a method of the caller's logger, `this` and all: a logger that is a class's instance works (mutation QA: untested)", () => {
    class Recorder {
      readonly lines: unknown[][] = [];
      debug(...content: unknown[]): void {
        this.lines.push(['debug', ...content]);
      }
      info(...content: unknown[]): void {
        this.lines.push(['info', ...content]);
      }
      warn(...content: unknown[]): void {
        this.lines.push(['warn', ...content]);
      }
      error(...content: unknown[]): void {
        this.lines.push(['error', ...content]);
      }
    }
    const recorder = new Recorder();
    const logger = libraryLogger(recorder);
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(recorder.lines).toEqual([['debug', 'd'], ['info', 'i'], ['warn', 'w'], ['error', 'e']]);
  });
});
