import { ignoreLog, type Logger } from '../log/logger.js';
import { logMessage } from '../log/printable.js';
import { nameOptions, type OptionNaming } from '../optionNames.js';
import { writeErr } from '../stdio.js';
import { flagNaming, type FlagValues, type LOG_FLAGS } from './flags.js';

type LogLevel = NonNullable<FlagValues<typeof LOG_FLAGS>['log-level']>;
type LogFormat = NonNullable<FlagValues<typeof LOG_FLAGS>['log-format']>;

export interface CliLogSettings {
  /** The least severe level written. */
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** The command running, a field of each JSON line. */
  readonly command?: string | undefined;
  /** How options in messages are named (default: by their flags). */
  readonly naming?: OptionNaming | undefined;
}

/** Most severe first: a level is written when it comes no later than the one asked for. */
const SEVERITY: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** What the command line asks for: --log-level, else debug with --debug, else info; --log-format, else text. */
export function logSettings(flags: { readonly debug?: unknown; readonly 'log-level'?: unknown; readonly 'log-format'?: unknown }): CliLogSettings {
  return {
    level: (flags['log-level'] as LogLevel | undefined) ?? (flags.debug === true ? 'debug' : 'info'),
    format: (flags['log-format'] as LogFormat | undefined) ?? 'text',
  };
}

/**
 * The format the raw command line asks for, for the lines written before its flags are parsed (an unknown
 * flag, a bad value), as src/bin/aws_signing_helper.cjs does for those written before the CLI loads.
 */
export function logFormatAskedIn(argv: readonly string[]): LogFormat {
  // The last one given, as the flags parsed take it; none after `--`, which ends the flags.
  let format: LogFormat = 'text';
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const given = argv[i]!.startsWith('--log-format=') ? argv[i]!.slice('--log-format='.length) : argv[i] === '--log-format' ? argv[++i] : undefined;
    if (given !== undefined) format = given === 'json' ? 'json' : 'text';
  }
  return format;
}

/**
 * The CLI's log lines on stderr (stdout is reserved for each command's product), options named by their
 * flags. `text` is the reference's format (Go's standard logger): `YYYY/MM/DD HH:MM:SS message`, local
 * time. `json` is one object a line, `{"time","level","message","command"}` (time in UTC, ISO 8601), for log
 * collectors; a message of several lines (a canonical request, at debug level: the others are folded into one) stays one line there. Control characters
 * (from a server's message, a client's request) are written out (src/log/printable.ts). A level below the
 * one asked for is `ignoreLog`, so that debug lines that cost something to build are not built.
 */
export function cliLogger({ level, format, command, naming = flagNaming }: CliLogSettings): Logger {
  const shown = SEVERITY.indexOf(level);
  const writer = (lineLevel: LogLevel) => {
    if (SEVERITY.indexOf(lineLevel) > shown) return ignoreLog;
    // Messages name no level: a text line says it is a warning, a JSON line has its level field.
    const label = lineLevel === 'warn' && format === 'text' ? 'warning: ' : '';
    return (...content: unknown[]) => {
      // Only debug lines keep their line breaks: in the others a path holding one (a credentials or token
      // file's, in a warning) would forge a line (QA).
      const message = label + logMessage(nameOptions(content.map(String).join(' '), naming), lineLevel === 'debug');
      const now = new Date();
      writeErr(
        format === 'json'
          ? `${JSON.stringify({ time: now.toISOString(), level: lineLevel, message, ...(command && { command }) })}\n`
          : `${logTimestamp(now)} ${message}\n`,
      );
    };
  };
  return { debug: writer('debug'), info: writer('info'), warn: writer('warn'), error: writer('error') };
}

function logTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}
