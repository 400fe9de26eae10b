import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The lines are caught where they would be written (the one write(2) to descriptor 2 in src/stdio.ts), to
// compare them whole here; the real stderr, with every command, levels and formats, is test/e2e/logging.test.ts's.
const written: string[] = [];
vi.mock('../../../src/stdio.js', () => ({ writeErr: (line: string) => written.push(line) }));

const { cliLogger, logFormatAskedIn, logSettings } = await import('../../../src/cli/cliLogger.js');
const { logsDebug } = await import('../../../src/log/logger.js');
const { option } = await import('../../../src/optionNames.js');

beforeEach(() => {
  written.length = 0;
});

const logEveryLevel = (logger: ReturnType<typeof cliLogger>) => {
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
};

describe('logSettings', () => {
  it('is info and text by default, debug with --debug, and what --log-level and --log-format say', () => {
    expect(logSettings({ debug: false })).toEqual({ level: 'info', format: 'text' });
    expect(logSettings({ debug: true })).toEqual({ level: 'debug', format: 'text' });
    expect(logSettings({ 'log-level': 'warn', 'log-format': 'json' })).toEqual({ level: 'warn', format: 'json' });
    expect(logSettings({})).toEqual({ level: 'info', format: 'text' });
  });
});

// Mutation QA: each of these passed with its rule gone (the `--` stop, the month's + 1).
describe('logFormatAskedIn: the format of the lines written before the flags are parsed', () => {
  it('is the last --log-format given, in either form, and none after `--`', () => {
    expect(logFormatAskedIn(['serve', '--bogus'])).toBe('text');
    expect(logFormatAskedIn(['serve', '--log-format', 'json', '--bogus'])).toBe('json');
    expect(logFormatAskedIn(['serve', '--log-format=json'])).toBe('json');
    expect(logFormatAskedIn(['serve', '--log-format=json', '--log-format', 'text'])).toBe('text');
    expect(logFormatAskedIn(['serve', '--log-format', 'json', '--log-format=bogus'])).toBe('text');
    expect(logFormatAskedIn(['completion', 'zsh', '--', '--log-format', 'json'])).toBe('text');
  });
});

describe('cliLogger', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("stamps a text line with the local date and time as Go's logger does, the month from 1", () => {
    vi.useFakeTimers({ now: new Date(2026, 0, 5, 3, 4, 9) });
    cliLogger({ level: 'info', format: 'text' }).info('i');
    expect(written).toEqual(['2026/01/05 03:04:09 i\n']);
  });

  it('writes the reference\'s lines by default: info, warn and error, no debug', () => {
    const logger = cliLogger({ level: 'info', format: 'text' });
    logEveryLevel(logger);
    expect(written).toHaveLength(3);
    // A warning says so in its text line (its JSON line has the level field).
    for (const [line, message] of written.map((line, i) => [line, ['i', 'warning: w', 'e'][i]])) {
      expect(line).toMatch(new RegExp(`^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} ${message}\\n$`));
    }
    expect(logsDebug(logger)).toBe(false);
  });

  it.each([
    ['error', ['e']],
    ['warn', ['w', 'e']],
    ['info', ['i', 'w', 'e']],
    ['debug', ['d', 'i', 'w', 'e']],
  ] as const)('--log-level %s writes %j', (level, messages) => {
    const logger = cliLogger({ level, format: 'json' });
    logEveryLevel(logger);
    expect(written.map((line) => JSON.parse(line).message)).toEqual(messages);
    expect(logsDebug(logger)).toBe(level === 'debug');
  });

  it('json: one object a line with the time, level, message and command; several lines of message stay one', () => {
    const logger = cliLogger({ level: 'debug', format: 'json', command: 'credential-process' });
    logger.debug('canonical request:\nPOST\n/sessions');
    logger.warn('unusual', 42);
    expect(written.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
    const [first, second] = written.map((line) => JSON.parse(line));
    expect(first).toEqual({ time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/), level: 'debug', message: 'canonical request:\nPOST\n/sessions', command: 'credential-process' });
    expect(Object.keys(first)).toEqual(['time', 'level', 'message', 'command']);
    expect(second).toMatchObject({ level: 'warn', message: 'unusual 42' }); // no "warning: ": the level field says it
  });

  it('names options by their flags, or as the naming given says', () => {
    cliLogger({ level: 'info', format: 'json' }).error(`bad ${option('durationSeconds')}`);
    cliLogger({ level: 'info', format: 'json', naming: (name) => `<${name}>` }).error(`bad ${option('durationSeconds')}`);
    expect(written.map((line) => JSON.parse(line).message)).toEqual(['bad --session-duration', 'bad <durationSeconds>']);
  });

  it('folds the line breaks of an info, warning or error line into one space, in both formats (a path holding one forged a line), keeping debug\'s (the canonical request)', () => {
    const forged = '/tmp/a\n2026/12/06 00:00:00 forged';
    for (const format of ['text', 'json'] as const) {
      const logger = cliLogger({ level: 'debug', format });
      logger.info(`auth token file ${forged} changed`);
      logger.warn(`the credentials file ${forged} \r\n is readable`);
      logger.error(`unable to write ${forged}`);
      logger.debug('canonical request:\nPOST');
    }
    const text = written.slice(0, 4);
    expect(text.map((line) => line.slice(20))).toEqual([
      'auth token file /tmp/a 2026/12/06 00:00:00 forged changed\n',
      'warning: the credentials file /tmp/a 2026/12/06 00:00:00 forged is readable\n',
      'unable to write /tmp/a 2026/12/06 00:00:00 forged\n',
      'canonical request:\nPOST\n',
    ]);
    expect(written.slice(4).map((line) => JSON.parse(line).message)).toEqual([
      'auth token file /tmp/a 2026/12/06 00:00:00 forged changed',
      'the credentials file /tmp/a 2026/12/06 00:00:00 forged is readable',
      'unable to write /tmp/a 2026/12/06 00:00:00 forged',
      'canonical request:\nPOST',
    ]);
  });

  it("writes out control characters (a server's message, a client's path), in both formats, so that none overwrites or recolours the line", () => {
    const message = 'denied: Untrusted signing certificate\r\x1b[32mOK: credentials issued\x1b[0m\x07\x7f\x9b';
    const escaped = 'denied: Untrusted signing certificate\\x0d\\x1b[32mOK: credentials issued\\x1b[0m\\x07\\x7f\\x9b';
    cliLogger({ level: 'info', format: 'text' }).error(message);
    cliLogger({ level: 'info', format: 'json' }).error(message);
    expect(written[0]).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /);
    expect(written[0]!.slice(20)).toBe(`${escaped}\n`);
    expect(JSON.parse(written[1]!).message).toBe(escaped);
    expect(written.join('')).not.toMatch(/[\0-\x09\x0b-\x1f\x7f-\x9f]/);
  });
});
