import { fstatSync, readSync, statSync } from 'node:fs';
import type { Env } from '../context.js';
import { HelperError, UsageError } from '../errors.js';
import type { Input } from '../keys/input.js';
import { describeFsError } from '../files/describeFsError.js';
import { MAX_INPUT_BYTES } from '../files/readInputFile.js';
import { readSecretFile, secretText } from '../keys/secretFile.js';

/**
 * What flag values may point at besides files: environment variables (`env:NAME`) and standard input
 * (`-`). The CLI is the only layer that reads them; what it reads becomes inline content, never a file.
 */
export interface FlagSources {
  readonly env: Env;
  /** Reads all of standard input (default: descriptor 0); the cache-hit path refuses, not to consume it. */
  readonly standardInput?: (() => Buffer) | undefined;
}

const STANDARD_INPUT = '-';
const ENV_PREFIX = 'env:';

/** The flags that may say `-`, checked together: standard input can be read only once. */
export function checkOneStandardInput(values: Readonly<Record<string, string | undefined>>): void {
  const flags = Object.keys(values).filter((flag) => values[flag] === STANDARD_INPUT);
  if (flags.length < 2) return;
  const named = flags.map((flag) => `--${flag}`);
  const combined = flags.includes('certificate') && flags.includes('private-key');
  throw new UsageError(
    `standard input can be read by one flag only, and ${named.slice(0, -1).join(', ')} and ${named.at(-1)} ${flags.length === 2 ? 'both' : 'all'} say -` +
      (combined ? '; for a key and certificate in one PEM, give --certificate - alone' : ''),
  );
}

/**
 * A certificate, key or chain flag as a key source input: `env:NAME`, the PEM (or base64 DER) in that
 * variable; `-`, the bytes of standard input (PEM or DER); anything else, a path or URI as given.
 */
export function flagInput(value: string | undefined, what: string, sources: FlagSources): Input | undefined {
  if (!value) return undefined;
  if (value === STANDARD_INPUT) {
    const content = readStandardInput(what, sources);
    if (content.length === 0) throw new HelperError(`unable to read ${what} from standard input: it is empty`);
    return { content, name: 'standard input' };
  }
  if (value.startsWith(ENV_PREFIX)) return { content: variableContent(value.slice(ENV_PREFIX.length), what, sources.env), name: value };
  return value;
}

/**
 * A flag that takes a file path only (check's and the emulator's --trust-anchor-certificate and --crl, serve's --auth-token-file): `-`
 * and `env:NAME`, which the certificate and key flags take, are refused rather than looked for as files, and
 * an empty one, an unset variable's (`--crl "$CRL"`), rather than taken for none (review: check passed, its CRL "not checked").
 */
export function filePathFlag(flag: string, value: string | undefined): string | undefined {
  if (value === '') throw new HelperError(`invalid --${flag} "": it names no file (leave it out if there is none)`);
  if (value === STANDARD_INPUT || value?.startsWith(ENV_PREFIX)) {
    throw new HelperError(`invalid --${flag} ${value}: it takes a file path, not standard input or a variable (for a file of that name, write ./${value})`);
  }
  return value;
}

/**
 * The secret a file flag points at (`-`: standard input), or undefined when the flag is not given. A file
 * that its group or others may read is refused (src/keys/secretFile.ts).
 */
export function secretFileFlag(path: string | undefined, flag: string, what: string, sources: FlagSources): string | undefined {
  if (!path) return undefined;
  if (path === STANDARD_INPUT) return secretText(readStandardInput(what, sources), `${what} from standard input (--${flag} -)`);
  return readSecretFile(path, `${what} from --${flag}`);
}

function readStandardInput(what: string, { standardInput = readDescriptorZero }: FlagSources): Buffer {
  try {
    return standardInput();
  } catch (error) {
    if (error instanceof HelperError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'EBADF' ? 'it is closed' : describeFsError(error);
    throw new HelperError(`unable to read ${what} from standard input: ${reason}`);
  }
}

/** Standard input to its end, as much as a file input may hold (MAX_INPUT_BYTES): `/dev/zero | …` never ends. */
function readDescriptorZero(): Buffer {
  // A terminal would wait for an end of input nobody means to type (and show a secret typed there).
  const stat = fstatSync(0);
  if (stat.isCharacterDevice()) {
    // Node opens /dev/null in the place of a closed descriptor 0 (`<&-`), which is then not said to be a terminal (QA).
    const devNull = stat.rdev === statSync('/dev/null', { throwIfNoEntry: false })?.rdev;
    throw new Error(devNull ? 'it is /dev/null (closed, or redirected from /dev/null), not a pipe or a file' : 'it is a terminal or a device, not a pipe or a file');
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const read = readSync(0, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, length);
    length += read;
    if (length > MAX_INPUT_BYTES) throw new Error(`larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB`);
    chunks.push(chunk.subarray(0, read));
  }
}

/** `env:NAME`: PEM text as it is, anything else read as base64 (DER, e.g. a PKCS#12 file; line breaks allowed). */
function variableContent(name: string, what: string, env: Env): Buffer {
  const unable = (reason: string) => new HelperError(`unable to read ${what} from env:${name}: ${reason}`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw unable('not an environment variable name');
  const value = env[name];
  if (value === undefined) throw unable(`the environment variable ${name} is not set`);
  if (value.trim() === '') throw unable(`the environment variable ${name} is empty`);
  if (value.includes('-----BEGIN ')) return Buffer.from(value, 'utf8');
  const base64 = value.replace(/\s+/g, '');
  const der = Buffer.from(base64, 'base64');
  if (der.toString('base64') !== base64) throw unable(`${name} holds neither PEM (-----BEGIN ...) nor base64 DER`);
  return der;
}
