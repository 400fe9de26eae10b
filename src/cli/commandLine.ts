import { UsageError } from '../errors.js';
import type { FlagSet, FlagSpec, FlagValues } from './flags.js';
import { parseGoBool, parseGoInt } from './goSyntax.js';
import { looksLikePemOrBase64 } from '../files/looksLikeContent.js';
import { NOT_SHOWN, secretInValue, type SecretInValue } from '../files/secretInValue.js';
import { redactPin } from '../log/redactUrl.js';

export interface ParsedFlags<F extends FlagSet> {
  readonly values: FlagValues<F>;
  /** Flags given on the command line (defaults do not count), for the mutual-exclusion rules. */
  readonly given: ReadonlySet<string>;
  readonly help: boolean;
  /** Arguments that are not flags. */
  readonly positionals: readonly string[];
  /** The same as messages may quote them: a word that may hold part of a secret as `***` (shownPositionals). */
  readonly shownPositionals: readonly string[];
  /**
   * What was read otherwise than it may have been meant, to be warned of: an integer with a leading 0 (octal in
   * Go), a flag taken as the value of the flag before it, a needed flag given empty.
   */
  readonly notes: readonly string[];
}

/**
 * Parses a command's flags the way the reference's flag library (pflag) does: long flags only (and -h),
 * `--flag value` or `--flag=value` (a value may start with a dash), bool flags as `--flag` or
 * `--flag=true|false`, Go integer syntax, enum values checked, `--` ending the flags, the last occurrence
 * winning (a stringArray flag keeps every occurrence, in order). Errors use pflag's wording.
 */
export function parseFlags<F extends FlagSet>(args: readonly string[], flags: F): ParsedFlags<F> {
  const values: Record<string, string | number | boolean | readonly string[] | undefined> = {};
  for (const [name, spec] of Object.entries(flags)) values[name] = defaultValue(spec);
  const given = new Set<string>();
  const positionals: string[] = [];
  const shownPositionals: string[] = [];
  const notes: string[] = [];
  let help = false;
  // Whether the words now read follow a secret (a password flag's value, a PKCS#11 URI's PIN): the rest of
  // a secret holding a space, left unquoted in a credential_process line, would be quoted in a warning (QA).
  let afterSecret = false;
  const positional = (word: string) => {
    positionals.push(word);
    // After PEM or base64, base64: a key left unquoted is a word a line, its last one shorter than the rest (QA).
    shownPositionals.push(shownPositionals.at(-1) === NOT_SHOWN && /^[\w+/=]+\s*$/.test(word) ? NOT_SHOWN : shownPositional(word, afterSecret));
    // A secret flag's name pasted with a long dash (`—pkcs8-password VALUE`): its value follows (review).
    if (!word.includes('=') && SECRET_NAME.test(word)) afterSecret = true;
    // A PKCS#11 URI's PIN, which may go on in the next word (a space in it), as after such a flag's value below.
    else if (redactPin(word) !== word) afterSecret = true;
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      args.slice(i + 1).forEach(positional);
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg.startsWith('--help=')) {
      // cobra's help flag is a bool like any other.
      help = convert('help', HELP_FLAG, arg.slice('--help='.length)) as boolean;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const spec = arg.startsWith('--') && Object.hasOwn(flags, name) ? flags[name]! : undefined;
    // The rest of a password that begins with a dash (`--pkcs8-password hunter -Tr0ub4dor`) is no flag: not quoted (review).
    if (!spec && afterSecret) throw new UsageError(UNKNOWN_AFTER_SECRET);
    if (!arg.startsWith('--')) {
      help = shorthandHelp(arg, help);
      continue;
    }
    if (name === '' || name.startsWith('-')) throw new UsageError(`bad flag syntax: ${looksLikePemOrBase64(arg) ? NOT_SHOWN : hidingValue(arg)}`);
    if (!spec) throw new UsageError(`unknown flag: --${name}`);
    let text: string;
    if (equals !== -1) {
      text = arg.slice(equals + 1);
    } else if (spec.type === 'bool') {
      text = 'true';
    } else if (i + 1 < args.length) {
      text = args[++i]!;
      // `--trust-anchor-arn $TRUST_ANCHOR_ARN --profile-arn ...` with the variable unset: pflag takes the next
      // flag as the value, and the run fails on it, or on the flag lost (QA). Not for a secret's value.
      if (FLAG_LIKE.test(text) && !SECRET_NAME.test(name)) {
        // As a word passed over is shown: a secret-named flag's value after its `=` hidden, a pin-value too.
        const shown = shownPositional(text, false);
        const taken = `--${name} took ${JSON.stringify(shown)} as its value, as pflag does`;
        const missing = `the value meant for --${name} is missing (an empty variable left unquoted?)`;
        // With a secret in it (`--pkcs8-password=…`, a pkcs11: URI's pin-value): the run's error would show it as
        // the ARN or the path given, and a session name would send it (review). Refused: it can only fail.
        // Whether the command knows that flag or not: `--pkcs11-pin=…`, `-pkcs8-password=…`, `—pkcs8-password=…` (review).
        if (shown !== text) throw new UsageError(`${taken}, with a secret in it: ${missing}`);
        const next = /^--([^=]+)/.exec(text)?.[1];
        if (next && Object.hasOwn(flags, next)) notes.push(`${taken}: the value meant for it is missing (an empty variable left unquoted?)`);
      }
    } else {
      throw new UsageError(`flag needs an argument: --${name}`);
    }
    // A key or certificate given to a flag that takes neither (flags swapped, `--role-arn "$(cat key.pem)"`):
    // the value's checks (an ARN, a Region, a number) quoted it whole (QA). Base64 only where it cannot be a value.
    const misplaced = spec.value === 'path' ? undefined : misplacedSecret(name, text);
    if (misplaced) {
      const reason = { key: 'a key or certificate is given with --certificate, --private-key or --intermediates', pin: 'a pkcs11: URI is given with --certificate or --private-key', url: 'it is a URL with a user name or password' }[misplaced.kind];
      throw new UsageError(`invalid argument ${JSON.stringify(misplaced.shown)} for "--${name}" flag: ${reason}`);
    }
    const value = convert(name, spec, text);
    // `--certificate "$CERTIFICATE"` with the variable unset: the run then says to give what was given (QA).
    if (text === '' && NEEDED_FLAGS.has(name)) notes.push(`--${name} is given empty, as if not given (an unset variable?)`);
    // QA: --session-duration 03600 asked for 1920 seconds without a word (as the reference's pflag reads it).
    if (spec.type === 'int' && /^[+-]?0_?[0-7]/.test(text)) notes.push(`--${name} ${text} is read as octal, as Go reads a leading 0: ${value}`);
    values[name] = spec.type === 'stringArray' ? [...(values[name] as string[]), value as string] : value;
    given.add(name);
    // A secret flag's name taken as the value (`--profile-arn $UNSET --pkcs8-password VALUE`, a single or a long
    // dash too): its value follows (review). A pin-value's `-` may be percent-encoded, as redactPin reads it.
    afterSecret =
      spec.type !== 'bool' &&
      (SECRET_NAME.test(name) || /pin(-|%2d)(value|source)=/i.test(text) || (FLAG_LIKE.test(text) && !text.includes('=') && SECRET_NAME.test(text)));
  }
  return { values: values as FlagValues<F>, given, help, positionals, shownPositionals, notes };
}

/**
 * A key, a pkcs11: URI with its PIN, or a URL with user info given to a flag (or a roles file's setting) of
 * that name that takes none (secretInValue); undefined for a flag that reads an input or takes a password.
 */
export function misplacedSecret(name: string, text: string): SecretInValue | undefined {
  if (INPUT_FLAGS.has(name) || SECRET_NAME.test(name)) return undefined;
  return secretInValue(text, BASE64_VALUED[name] ?? 0, NO_URL_FLAGS.has(name));
}

/** Flags no URL is a value of (an external ID or a tag may hold `://` and `@`; an endpoint's check hides its user info). */
const NO_URL_FLAGS = new Set(['role-arn', 'profile-arn', 'trust-anchor-arn', 'assume-role-arn', 'region', 'role-session-name', 'assume-role-session-name', 'session-duration', 'assume-role-duration', 'name']);

/** Flags that read an input (a file, env:NAME, a pkcs11: URI), which says what it is without quoting it. */
const INPUT_FLAGS = new Set(['certificate', 'private-key', 'intermediates']);

/** Flags whose value may be long base64, and how long it may be: an external ID, a tag (its key, `=` and value), a session name, a roles file's role name. */
const BASE64_VALUED: Readonly<Record<string, number>> = { name: 64, 'external-id': 1224, 'assume-role-tag': 385, 'role-session-name': 64, 'assume-role-session-name': 64 };

/** Flags without which a run fails: given empty, they are as if not given, and the failure names them. */
const NEEDED_FLAGS = new Set(['certificate', 'private-key', 'trust-anchor-arn', 'profile-arn', 'role-arn']);

const UNKNOWN_AFTER_SECRET =
  "unknown flag after a password's or PIN's value, not shown as it may be part of it (a value holding spaces must be quoted)";

/**
 * A word written as a flag: a hyphen-minus first, or a dash a word processor put for it (`—pkcs8-password`), or
 * a minus sign; after a line break or blanks too, which botocore leaves in the word after a `\` ending a line.
 * Then a name, and its end or an `=`: not a PEM's `-----BEGIN PRIVATE KEY-----` given as a --private-key,
 * whose base64 holding "pin" and an `=` made it a secret flag taken as the value, quoted up to its `=` (CI).
 */
const FLAG_LIKE = /^\s*[\p{Pd}\u2212]+[^\s=]+(=|$)/u;

/** A flag's or a word's name that says it holds a secret: `--pkcs8-password`, `--reuse-pin`, `—pkcs8-password=…` pasted with a long dash. */
const SECRET_NAME = /pin|password/i;

/**
 * A word that is no flag as a message quotes it: `***` when it follows a secret, which it may be the rest of;
 * a word named like a secret flag (a long dash pasted for `--`) with what follows its `=` hidden.
 */
function shownPositional(word: string, afterSecret: boolean): string {
  if (afterSecret && word !== '' && word !== '-') return '***';
  if (looksLikePemOrBase64(word)) return NOT_SHOWN;
  const equals = word.indexOf('=');
  // A PKCS#11 URI's pin-value hidden: its flag taken as another's value left the URI a word (review).
  // A URL's user info hidden too, as messages hide an --endpoint's (`--profile-arn $UNSET --endpoint=https://u:p@…`, review).
  return equals !== -1 && SECRET_NAME.test(word.slice(0, equals)) ? hidingValue(word) : redactPin(word).replace(URL_USER_INFO, '$1***@');
}

/** A URL's user info (`user:password@`), up to the last `@` as redactUrl reads it: a password may hold `@` and `/`. */
const URL_USER_INFO = /([a-z][a-z0-9+.-]*:\/\/)[^]*@/i;

const HELP_FLAG: FlagSpec = { type: 'bool', help: '' };

/**
 * A single-dash argument as pflag reads it: shorthand letters one after another (`-hh`), of which cobra's
 * help flag, -h (a bool, `-h=false` too), is the only one; any other letter is unknown, named with the
 * letters from it on (`-hx`: 'x' in -x). Returns whether help is asked for.
 */
function shorthandHelp(arg: string, help: boolean): boolean {
  for (let at = 1; at < arg.length; at++) {
    if (arg[at] !== 'h') throw new UsageError(`unknown shorthand flag: '${arg[at]}' in -${hidingValue(arg.slice(at))}`);
    if (arg[at + 1] === '=' && arg.length - at > 2) return convert('help', HELP_FLAG, arg.slice(at + 2)) as boolean;
    help = true;
  }
  return help;
}

/** An argument with what follows its `=` hidden: `-pkcs8-password=…` (a Go-style single dash) holds a secret. */
function hidingValue(arg: string): string {
  return arg.replace(/=[^]+/, '=***');
}

/** A flag's value when it is not given: its default, false for a bool (unless unset unless given), [] for a stringArray, else undefined. */
export function defaultValue(spec: FlagSpec): string | number | boolean | readonly string[] | undefined {
  return spec.default ?? (spec.type === 'bool' && !spec.unsetUnlessGiven ? false : spec.type === 'stringArray' ? [] : undefined);
}

function convert(name: string, spec: FlagSpec, text: string): string | number | boolean {
  // A value given to a flag about a PIN or password (`--reuse-pin=123456`) may be the secret itself: not quoted.
  const shown = SECRET_NAME.test(name) && text ? '***' : text;
  const invalid = (cause: string) =>
    // pflag names a flag with a shorthand by both: cobra's help flag, `-h, --help` (QA: compared with pflag).
    new UsageError(`invalid argument ${JSON.stringify(shown)} for "${spec === HELP_FLAG ? '-h, ' : ''}--${name}" flag: ${cause.replaceAll(JSON.stringify(text), JSON.stringify(shown))}`);
  try {
    if (spec.type === 'bool') return parseGoBool(text);
    if (spec.type === 'int') return Number(parseGoInt(text));
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (spec.type === 'enum' && !spec.values!.includes(text)) {
    throw invalid(`${text} is not included in ${spec.values!.join(',')}`);
  }
  return text;
}
