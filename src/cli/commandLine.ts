import { UsageError } from '../errors.js';
import type { FlagSet, FlagSpec, FlagValues } from './flags.js';
import { parseGoBool, parseGoInt } from './goSyntax.js';

export interface ParsedFlags<F extends FlagSet> {
  readonly values: FlagValues<F>;
  /** Flags given on the command line (defaults do not count), for the mutual-exclusion rules. */
  readonly given: ReadonlySet<string>;
  readonly help: boolean;
  /** Arguments that are not flags. */
  readonly positionals: readonly string[];
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
  let help = false;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg.startsWith('--help=') || arg.startsWith('-h=')) {
      // cobra's help flag is a bool like any other, its shorthand too (`-h=false`).
      help = convert('help', { type: 'bool', help: '' }, arg.slice(arg.indexOf('=') + 1)) as boolean;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    // A value after `=` is not quoted: `-pkcs8-password=…` (a Go-style single dash) holds a secret.
    if (!arg.startsWith('--')) throw new UsageError(`unknown shorthand flag: '${arg[1]}' in ${arg.replace(/=[^]*/, '=***')}`);
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const spec = Object.hasOwn(flags, name) ? flags[name]! : undefined;
    if (!spec) throw new UsageError(`unknown flag: --${name}`);
    let text: string;
    if (equals !== -1) {
      text = arg.slice(equals + 1);
    } else if (spec.type === 'bool') {
      text = 'true';
    } else if (i + 1 < args.length) {
      text = args[++i]!;
    } else {
      throw new UsageError(`flag needs an argument: --${name}`);
    }
    const value = convert(name, spec, text);
    values[name] = spec.type === 'stringArray' ? [...(values[name] as string[]), value as string] : value;
    given.add(name);
  }
  return { values: values as FlagValues<F>, given, help, positionals };
}

/** A flag's value when it is not given: its default, false for a bool (unless unset unless given), [] for a stringArray, else undefined. */
export function defaultValue(spec: FlagSpec): string | number | boolean | readonly string[] | undefined {
  return spec.default ?? (spec.type === 'bool' && !spec.unsetUnlessGiven ? false : spec.type === 'stringArray' ? [] : undefined);
}

function convert(name: string, spec: FlagSpec, text: string): string | number | boolean {
  // A value given to a flag about a PIN or password (`--reuse-pin=123456`) may be the secret itself: not quoted.
  const shown = /pin|password/.test(name) && text ? '***' : text;
  const invalid = (cause: string) =>
    new UsageError(`invalid argument ${JSON.stringify(shown)} for "--${name}" flag: ${cause.replaceAll(JSON.stringify(text), JSON.stringify(shown))}`);
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
