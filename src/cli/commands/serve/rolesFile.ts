import { basename, resolve } from 'node:path';
import { HelperError, reasonOf, UsageError } from '../../../errors.js';
import { closestName } from '../../../closestName.js';
import { cutShort } from '../../../log/printable.js';
import { defaultValue, misplacedSecret } from '../../commandLine.js';
import { readInputFileWithStat } from '../../../files/readInputFile.js';
import { readableByOthers } from '../../../keys/secretFile.js';
import { duplicateKeyIn, jsonMistake, notUtf8 } from '../../jsonMistake.js';
import { CREDENTIAL_EXCLUSIONS, CREDENTIAL_FLAGS, FLAG_OF_OPTION, flagNaming, KEY_OPTION_FLAGS, ROUTE_FLAGS, violatedExclusion, type FlagSpec, type FlagValues } from '../../flags.js';
import { nameOptions, option, optionElement, optionWays, type OptionName, type OptionNaming } from '../../../optionNames.js';
import { SECRET_FLAGS } from '../../secretFlags.js';
import { ROLE_NAME } from '../../../session/roleArn.js';
import { fallbacksWithoutSts, parseFallbackFlag } from '../../fallbackFlag.js';
import { parseTagFlags } from '../../tagFlag.js';
import type { FallbackInputs } from '../../../session/fallbacks.js';
import { CHAINING_OPTIONS } from '../../../sts/chainingOptions.js';

type CredentialFlagValues = FlagValues<typeof CREDENTIAL_FLAGS> & Partial<FlagValues<typeof ROUTE_FLAGS>>;
/** The flags a role's settings are named after. */
const ROLE_FLAGS = { ...CREDENTIAL_FLAGS, ...ROUTE_FLAGS };

/** A role serve hands out: the name it is served under, and the flag values its session is made of. */
export interface RoleSettings {
  readonly name: string;
  readonly flags: CredentialFlagValues;
  /** Where the role was declared, to begin its messages with (`role 2 ("reader") of roles file /etc/roles.json: `). */
  readonly origin: string | undefined;
  /**
   * How its messages (which begin with its origin) name the options whose place is the file, as its
   * settings (`"pkcs8-password"`; see roleNaming). The others are left for the command line's naming.
   */
  readonly naming?: OptionNaming;
}

/** Settings a role may give for itself; any it leaves out are the command line's. */
const SESSION_SETTINGS = [
  'role-arn', 'profile-arn', 'trust-anchor-arn', 'session-duration', 'role-session-name', 'region', 'endpoint',
  'assume-role-arn', 'assume-role-session-name', 'external-id', 'assume-role-duration', 'assume-role-tag', 'assume-role-transitive-tag-key',
  'sts-endpoint', 'fallback',
] as const;
/**
 * The settings of a key: a role that gives any of them gives its own key and takes none of the command
 * line's key flags (KEY_OPTION_FLAGS: a certificate of its own with the command line's key, password or
 * password file, would be a mistake).
 */
const KEY_SETTINGS = [
  'certificate', 'private-key', 'intermediates', 'pkcs11-lib', 'reuse-pin', 'tpm-key-password', 'no-tpm-key-password', 'pkcs8-password', 'pkcs12-password',
] as const;
const SETTINGS: readonly string[] = ['name', ...SESSION_SETTINGS, ...KEY_SETTINGS];

/** What a roles file is, for its messages. */
const SHAPE = '{"roles": [{"role-arn": "…"}, …]}';

/** The role the command line describes, named as IMDS names it: the role ARN's last part. */
export function commandLineRole(flags: CredentialFlagValues): RoleSettings {
  return { name: roleNameOf(flags['assume-role-arn'] || flags['role-arn']), flags, origin: undefined };
}

/**
 * `serve --roles-file PATH`: several roles in one process. The file is JSON:
 * `{"roles": [{"name": "reader", "role-arn": "…"}, {"role-arn": "…", "profile-arn": "…", "certificate": "…", "private-key": "…"}]}`,
 * each role's settings named as the flags are, the command line's flags standing for those a role leaves
 * out (its key as a whole: see KEY_SETTINGS). A role's name defaults to its role ARN's last part.
 */
export function readRolesFile(path: string, commandLine: CredentialFlagValues): RoleSettings[] {
  const read = readInputFileWithStat(path, 'roles file');
  const encoding = notUtf8(read.data);
  if (encoding) throw new HelperError(`unable to parse roles file ${path}: ${encoding}`);
  const text = read.data.toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the text near the mistake, perhaps a password.
    throw new HelperError(`unable to parse roles file ${path}: ${jsonMistake(text)}`);
  }
  // JSON.parse keeps the last of a key given twice: the first would be dropped without a word.
  const duplicate = duplicateKeyIn(text);
  if (duplicate) throw new HelperError(`roles file ${path}: ${duplicate}`);
  const stray = document && typeof document === 'object' && !Array.isArray(document) ? Object.keys(document).find((key) => key !== 'roles') : undefined;
  if (stray !== undefined) {
    // Not "beside" a "roles" the file does not have (QA: {"Roles": […]} was said to be).
    const meant = !Object.hasOwn(document as object, 'roles') && (closestName(stray, ['roles']) ? '(did you mean "roles"?)' : `(the roles go under "roles": ${SHAPE})`);
    throw new HelperError(`roles file ${path}: unknown setting "${shown(stray)}" ${meant || `beside "roles" (a role's settings go in the role; the rest are the command line's flags)`}`);
  }
  const entries = (document as { roles?: unknown } | null)?.roles;
  if (entries !== undefined && !Array.isArray(entries)) {
    throw new HelperError(`roles file ${path}: "roles" must be a list of roles: ${SHAPE}`);
  }
  if (Array.isArray(document)) throw new HelperError(`roles file ${path}: the roles must be under "roles": ${SHAPE}, not a list alone`);
  if (!entries?.length) {
    throw new HelperError(`roles file ${path} holds no roles: it must be ${SHAPE} with at least one role`);
  }
  // With some roles chaining and others not, the command line's STS endpoints are the chaining roles'.
  const someChain = entries.some((entry: unknown) => ((entry as Record<string, unknown> | null)?.['assume-role-arn'] ?? commandLine['assume-role-arn']));
  const roles = entries.map((entry: unknown, index) => roleOf(entry, commandLine, path, index, someChain));
  const seen = new Map<string, number>();
  roles.forEach((role, index) => {
    // One named after a role ARN that is none (roleOf) is left to its session, which refuses that ARN (review:
    // two, from a templated "role/${ROLE}" left unset, were told to be given "name"s, and then refused all the same).
    if (!ROLE_NAME.test(role.name)) return;
    const first = seen.get(role.name);
    // Numbered from 1, as the other mistakes name a role's place (roleOf).
    if (first !== undefined) throw new HelperError(`roles file ${path}: roles ${first + 1} and ${index + 1} are both named "${role.name}": give them distinct "name"s`);
    seen.set(role.name, index);
  });
  checkOneStandardInputAmong(roles, path);
  // A password here is a password file's: others may not read it (README, "Passwords and PINs").
  const readable = readableByOthers(read.stat.mode);
  const secret = readable && firstSecret(entries as Record<string, unknown>[]);
  if (secret) {
    const what = (PIN_SETTINGS as readonly string[]).includes(secret.setting) ? `"${secret.setting}" (a PIN in its pin-value)` : `"${secret.setting}"`;
    throw new HelperError(`unable to use roles file ${path}: role ${roles[secret.index]!.name}'s ${what} is in it, and ${readable}`);
  }
  return roles;
}

/** Settings that may hold a pkcs11: URI, and with it a PIN. */
const PIN_SETTINGS = ['certificate', 'private-key'] as const;

/** The first role of the file that holds a password or a PIN, and the setting that does; undefined when none. */
function firstSecret(entries: readonly Record<string, unknown>[]): { readonly index: number; readonly setting: string } | undefined {
  for (const [index, entry] of entries.entries()) {
    const setting =
      SECRET_FLAGS.find((name) => entry[name]) ?? PIN_SETTINGS.find((name) => String(entry[name] ?? '').includes('pin-value='));
    if (setting) return { index, setting };
  }
  return undefined;
}

/**
 * Which key a role signs with: roles whose key flags are the same share one key (src/cli/commands/serve/servedRoles.ts),
 * a file's path taken as it resolves (QA: `./key.pem` and `key.pem` were two keys, their password asked twice).
 */
export function keyOf(role: RoleSettings): string {
  return JSON.stringify(
    KEY_OPTION_FLAGS.map((flag) => {
      const value = role.flags[flag];
      // Not standard input, the agent, a variable or a URI (`pkcs11:`, `handle:`); nor a module named without a
      // folder, which dlopen looks for where the system keeps libraries, not here.
      const file =
        typeof value === 'string' &&
        (ROLE_FLAGS[flag] as FlagSpec).value === 'path' &&
        !/^(|-|ssh-agent|[a-z][\w+.-]*:.*)$/is.test(value) &&
        !(flag === 'pkcs11-lib' && basename(value) === value);
      return file ? resolve(value) : value;
    }),
  );
}

/**
 * Standard input can be read once: by one key. Two keys that each take an input from `-` are refused
 * before anything is read, as two flags are.
 */
function checkOneStandardInputAmong(roles: readonly RoleSettings[], path: string): void {
  const readers = new Map<string, string>();
  for (const role of roles) {
    const flag = KEY_OPTION_FLAGS.find((name) => role.flags[name] === '-');
    if (flag && !readers.has(keyOf(role))) readers.set(keyOf(role), `role ${role.name}'s ${nameOfFlag(role, flag)}`);
  }
  if (readers.size < 2) return;
  const [first, second] = [...readers.values()];
  throw new UsageError(`standard input can be read once, and ${first} and ${second} (roles file ${path}) both say -: give one of them a file or env:NAME`);
}

/** A key flag as the messages of a role of the file name it (see roleNaming): `"private-key"` where the file gives it, else `--private-key`. */
function nameOfFlag(role: RoleSettings, flag: string): string {
  const name = (Object.keys(FLAG_OF_OPTION) as OptionName[]).find((option) => FLAG_OF_OPTION[option] === flag)!;
  return nameOptions(role.naming!(name), flagNaming);
}

function roleOf(entry: unknown, commandLine: CredentialFlagValues, path: string, index: number, someChain: boolean): RoleSettings {
  const where = `role ${index + 1} of roles file ${path}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new HelperError(`${where} is not an object of settings`);
  const settings = entry as Record<string, unknown>;
  const unknown = Object.keys(settings).filter((key) => !SETTINGS.includes(key));
  if (unknown.length > 0) {
    const meant = closestName(unknown[0]!, SETTINGS, { prefixes: true });
    throw new HelperError(`${where}: unknown setting "${shown(unknown[0]!)}" (${meant ? `did you mean "${meant}"?` : `the settings are ${SETTINGS.join(', ')}`})`);
  }
  for (const [key, value] of Object.entries(settings)) {
    const expected = key === 'name' ? 'string' : ROLE_FLAGS[key as keyof typeof ROLE_FLAGS].type;
    if (!hasType(value, expected)) throw new HelperError(`${where}: "${key}" must be ${DESCRIBED[expected]}`);
    // A key, or a pkcs11: URI with its PIN, in a setting that takes neither: its checks would quote it whole (QA).
    const path = key !== 'name' && (ROLE_FLAGS[key as keyof typeof ROLE_FLAGS] as FlagSpec).value === 'path';
    for (const [item, text] of (Array.isArray(value) ? value : [value]).entries()) {
      const misplaced = typeof text === 'string' && !path ? misplacedSecret(key, text) : undefined;
      if (!misplaced) continue;
      const setting = Array.isArray(value) ? `"${key}" #${item + 1}` : `"${key}"`;
      const reason = { key: 'a key or certificate goes in "certificate", "private-key" or "intermediates"', pin: 'a pkcs11: URI goes in "certificate" or "private-key"', url: 'it is a URL with a user name or password' }[misplaced.kind];
      throw new HelperError(`${where}: invalid ${setting} ${JSON.stringify(misplaced.shown)}: ${reason}`);
    }
  }
  // Not taken as none, as an empty "sts-endpoint" and the library's endpoint are not: an unset variable templated
  // into the file sent the request to the Region's own endpoint rather than the command line's (consistency QA).
  if (settings.endpoint === '') throw new HelperError(`${where}: invalid "endpoint" "": it is empty (leave it out for --endpoint's, or the Region's own without it)`);
  const ownKey = KEY_SETTINGS.find((key) => Object.hasOwn(settings, key));
  const flags: Record<string, unknown> = { ...commandLine };
  if (ownKey) for (const flag of KEY_OPTION_FLAGS) flags[flag] = defaultValue(CREDENTIAL_FLAGS[flag]);
  for (const key of [...SESSION_SETTINGS, ...KEY_SETTINGS]) if (Object.hasOwn(settings, key)) flags[key] = settings[key];
  // `"assume-role-arn": ""`: this role does not chain, though the command line's --assume-role-arn has the others chain.
  if (settings['assume-role-arn'] === '') {
    for (const flag of CHAINING_OPTIONS.map((name) => FLAG_OF_OPTION[name])) if (!Object.hasOwn(settings, flag)) flags[flag] = undefined;
    flags['assume-role-arn'] = undefined;
  }
  if (someChain && !flags['assume-role-arn']) {
    // A role that does not chain calls no STS: the command line's STS endpoints are not its (its own are a mistake, said later).
    if (!Object.hasOwn(settings, 'sts-endpoint')) flags['sts-endpoint'] = undefined;
    if (!Object.hasOwn(settings, 'fallback') && commandLine.fallback) {
      const role = { trustAnchorArn: flags['trust-anchor-arn'], profileArn: flags['profile-arn'], endpoint: flags.endpoint } as FallbackInputs;
      flags.fallback = fallbacksWithoutSts(commandLine.fallback, role);
    }
  }
  // On the flags the role is made of: what it gives with what it takes from the command line.
  const clash = violatedExclusion(CREDENTIAL_EXCLUSIONS, (flag) => flags[flag] !== defaultValue(CREDENTIAL_FLAGS[flag as keyof typeof CREDENTIAL_FLAGS]));
  if (clash) {
    const named = clash.map((flag) => (Object.hasOwn(settings, flag) ? `"${flag}"` : `--${flag}`));
    throw new HelperError(`${where}: ${named.join(' and ')} cannot be used together`);
  }
  if (ownKey && !Object.hasOwn(settings, 'certificate') && !Object.hasOwn(settings, 'private-key')) {
    throw new HelperError(
      `${where}: "${ownKey}" without "certificate" or "private-key": a role that gives a key setting gives its whole key, ` +
        "and takes none of the command line's",
    );
  }

  const namedAfter = (flags['assume-role-arn'] || flags['role-arn']) as string | undefined;
  const name = (settings.name as string | undefined) ?? roleNameOf(namedAfter);
  // Named after a role ARN whose last part is no role name: that ARN is none (IAM's rule for role names is
  // ROLE_NAME), which the role's session, made before serve listens, refuses as a named role's is refused
  // (consistency QA: it said to give the role a "name", and then the ARN was refused). Placed without a name.
  const unnamed = settings.name === undefined && !!namedAfter && !ROLE_NAME.test(name);
  if (!ROLE_NAME.test(name) && !unnamed) {
    const rule = 'it must be 1 to 64 ASCII letters, digits and +=,.@_- (as IAM role names)';
    throw new HelperError(
      settings.name !== undefined ? `${where}: invalid name "${shown(name)}": ${rule}` : `${where}: no "role-arn" to name it by: give it a "role-arn" (or --role-arn)`,
    );
  }
  if (name === '.' || name === '..') {
    // A URL's path segment . or .. is removed (RFC 3986) by curl and the JavaScript SDK: /role/.. is never asked for.
    const advice = `give it ${settings.name === undefined ? 'a' : 'another'} "name"`;
    throw new HelperError(`${where}: the name "${name}" cannot be asked for, as clients remove a path segment . or .. from a URL; ${advice}`);
  }
  const origin = unnamed ? where : `role ${index + 1} ("${name}") of roles file ${path}`;
  // Its own lists are read here, to name an item that is not one as the file's; the command line's, when the session is made.
  try {
    for (const [item, text] of ((settings.fallback as string[] | undefined) ?? []).entries()) parseFallbackFlag(text, `"fallback" #${item + 1}`);
    parseTagFlags((settings['assume-role-tag'] as string[] | undefined) ?? [], '"assume-role-tag"');
  } catch (error) {
    throw new HelperError(`${origin}: ${reasonOf(error)}`);
  }
  // The command line's fallbacks are its trust anchor's and profile's in other Regions: a role of another
  // profile would get that profile's permissions there, so it names its own (or none).
  const own = (['profile-arn', 'trust-anchor-arn'] as const).find((key) => Object.hasOwn(settings, key) && settings[key] !== commandLine[key]);
  if (own && commandLine.fallback?.length && !Object.hasOwn(settings, 'fallback')) {
    throw new HelperError(
      `${origin}: --fallback is for the command line's trust anchor and profile, and this role has its own "${own}" ` +
        `(it would get another profile's permissions in the fallback Regions): give it its own "fallback" list, [] for none`,
    );
  }
  return { name, flags: flags as CredentialFlagValues, origin, naming: roleNaming(settings, ownKey !== undefined, flags) };
}

/**
 * Names an option as the role's setting (`"assume-role-arn"`) where the file is its place: the role gives
 * it; it is a key setting of a role with a key of its own, which the command line's key flags cannot
 * reach; or it is a setting of the session the role has no value for at all, which a message asking for it
 * (`"external-id" needs "assume-role-arn"`) means the role to give. The others (values the role takes from
 * the command line, flags that are not per role) are left for the command line's naming.
 */
function roleNaming(settings: Record<string, unknown>, ownKey: boolean, flags: Record<string, unknown>): OptionNaming {
  const inFile = (setting: string) =>
    Object.hasOwn(settings, setting) ||
    ((KEY_SETTINGS as readonly string[]).includes(setting)
      ? ownKey
      : (SESSION_SETTINGS as readonly string[]).includes(setting) && flags[setting] === defaultValue(ROLE_FLAGS[setting as keyof typeof ROLE_FLAGS]));
  return (name, index, part, offered) => {
    const setting = FLAG_OF_OPTION[name];
    if (!inFile(setting)) return index !== undefined ? optionElement(name, index, part) : offered ? optionWays(name) : option(name);
    return `"${setting}"${index === undefined ? '' : ` #${index + 1}${part ? `: ${FLAG_OF_OPTION[part]}` : ''}`}`;
  };
}

/** A key or value of the file as a message quotes it: at most 80 characters (fuzzing QA: 200 KB keys, quoted whole). */
function shown(text: string): string {
  return cutShort(text, 80);
}

/** The role name of a role ARN (`arn:aws:iam::1:role/path/name` → `name`), the chained role's if any; '' without one. */
function roleNameOf(roleArn: string | undefined): string {
  return roleArn ? roleArn.slice(roleArn.lastIndexOf('/') + 1) : '';
}

const DESCRIBED = { string: 'a string', int: 'an integer', bool: 'true or false', enum: 'a string', stringArray: 'a list of strings' } as const;

function hasType(value: unknown, type: keyof typeof DESCRIBED): boolean {
  if (type === 'int') return Number.isInteger(value);
  if (type === 'bool') return typeof value === 'boolean';
  if (type === 'stringArray') return Array.isArray(value) && value.every((item) => typeof item === 'string');
  return typeof value === 'string';
}
