import { join } from 'node:path';
import { isBlankPastAscii, trimBlanks } from '../blanks.js';
import { noteSources, type Env } from '../context.js';
import { homeFolder } from '../files/homeFolder.js';
import { NOT_UTF8_PATH } from '../files/nonUtf8Path.js';
import { pathFromVariable } from '../files/pathFromVariable.js';
import { readRegularFile } from '../files/readInputFile.js';
import { startsAsUtf16 } from '../startsAsUtf16.js';

/** Settings of the active profile, each standing for the variable the SDKs rank above it. */
const PROFILE_SETTINGS: Readonly<Record<string, string>> = {
  ca_bundle: 'AWS_CA_BUNDLE',
  endpoint_url: 'AWS_ENDPOINT_URL',
  ignore_configured_endpoint_urls: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  use_fips_endpoint: 'AWS_USE_FIPS_ENDPOINT',
  use_dualstack_endpoint: 'AWS_USE_DUALSTACK_ENDPOINT',
  max_attempts: 'AWS_MAX_ATTEMPTS',
};
/** A service's `endpoint_url` in the profile's `[services NAME]` section, by service. */
const SERVICE_ENDPOINTS: Readonly<Record<string, string>> = { rolesanywhere: 'AWS_ENDPOINT_URL_ROLESANYWHERE', sts: 'AWS_ENDPOINT_URL_STS' };
/** Larger than this is no config file of anyone's. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** The settings the Go SDK takes from the credentials file's profile over the config file's own (mergeSections). */
const FROM_CREDENTIALS = new Set(['region', 'ca_bundle', 'use_fips_endpoint', 'use_dualstack_endpoint', 'max_attempts']);

/**
 * The environment with the shared config file's active profile filled in where the variables say nothing,
 * as the reference's Go SDK loads it: the file is AWS_CONFIG_FILE (`~/` and `$NAME` expanded, as the AWS CLI
 * reads it), else ~/.aws/config (the home folder as homeFolder finds it); the profile
 * AWS_PROFILE, else AWS_DEFAULT_PROFILE, else `default`. Its `region` (below AWS_REGION and
 * AWS_DEFAULT_REGION), `ca_bundle`, `endpoint_url`, `ignore_configured_endpoint_urls`, `use_fips_endpoint`,
 * `use_dualstack_endpoint`, `max_attempts`, and the `endpoint_url` of `rolesanywhere` and `sts` in its
 * `services` section (below AWS_ENDPOINT_URL too, as the SDKs rank them) become the variables, and messages
 * name them by the setting (variableSource). The shared credentials file (AWS_SHARED_CREDENTIALS_FILE, else
 * ~/.aws/credentials) is read as the Go SDK merges it in: its `[NAME]` gives `region`, `ca_bundle`, the FIPS
 * and dual-stack switches and `max_attempts` over the config file's profile, and all of them where the config
 * file lacks the profile. A file that is not there, is not a regular file, or cannot be read changes
 * nothing, and so does a profile both lack.
 */
export function withSharedConfig(env: Env): Env {
  return filledIn(env, configFileOf(env));
}

/**
 * withSharedConfig's environment, and why the shared config file is not read or is misread, for a warning
 * (configProblem), from one read of the file: what a command's start and the library's first call take; a
 * cache hit takes withSharedConfig alone.
 */
export function readSharedConfig(env: Env): { readonly env: Env; readonly problem: string | undefined } {
  const file = configFileOf(env);
  return { env: filledIn(env, file), problem: configProblem(env, file) };
}

/** The shared config file's path (and the home folder it was found from), and its bytes and text if it was read. */
interface ConfigFile {
  readonly home: string | undefined;
  readonly path: string | undefined;
  readonly read: { readonly data: Buffer; readonly text: string } | undefined;
}

function configFileOf(env: Env): ConfigFile {
  const home = homeFolder(env);
  const path = sharedFilePath(env, 'AWS_CONFIG_FILE', 'config', home);
  const data = configData(path);
  return { home, path, read: data && { data, text: configText(data) } };
}

/** withSharedConfig's work, on the config file as configFileOf read it. */
function filledIn(env: Env, { home, path: configPath, read }: ConfigFile): Env {
  const credentialsPath = sharedFilePath(env, 'AWS_SHARED_CREDENTIALS_FILE', 'credentials', home);
  const config = read && parseConfig(read.text);
  const credentials = sectionsOf(credentialsPath);
  const name = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  const own = config?.get(`profile ${name}`) ?? (name === 'default' ? config?.get('default') : undefined);
  // `[profile NAME]` is no profile in the credentials file.
  const merged = name.startsWith('profile ') ? undefined : credentials?.get(name);
  if (!own && !merged) return env;
  const profile = new Map<string, { value: Setting; path: string }>();
  for (const [key, value] of own ?? []) profile.set(key, { value, path: configPath! });
  for (const [key, value] of merged ?? []) if (!own || FROM_CREDENTIALS.has(key)) profile.set(key, { value, path: credentialsPath! });
  const filled: Record<string, string | undefined> = { ...env };
  const sources = new Map<string, string>();
  const fill = (variable: string, value: string | undefined, setting: string, path: string) => {
    if (value === undefined || value === '' || setInEnvironment(env, variable)) return;
    filled[variable] = value;
    sources.set(variable, `${setting} in profile ${name} of ${path}`);
  };
  const fillFrom = (setting: string, variable: string) => {
    const entry = profile.get(setting);
    const value = valueOf(entry?.value);
    if (entry) fill(variable, setting === 'max_attempts' && value ? goMaxAttempts(value) : value, setting, entry.path);
  };
  for (const [setting, variable] of Object.entries(PROFILE_SETTINGS)) fillFrom(setting, variable);
  if (!env.AWS_REGION && !env.AWS_DEFAULT_REGION) fillFrom('region', 'AWS_REGION');
  const servicesName = valueOf(profile.get('services')?.value);
  const section = `services ${servicesName}`;
  // The config file's section of that name, else the credentials file's, as the Go SDK merges them.
  const [servicesPath, services] = servicesName === undefined ? [] : config?.has(section) ? [configPath!, config.get(section)] : [credentialsPath!, credentials?.get(section)];
  if (services && !env.AWS_ENDPOINT_URL) {
    for (const [service, variable] of Object.entries(SERVICE_ENDPOINTS)) {
      const subSettings = services.get(service);
      const endpoint = typeof subSettings === 'object' ? subSettings.get('endpoint_url') : undefined;
      fill(variable, endpoint, `${service} endpoint_url (services ${servicesName})`, servicesPath!);
    }
  }
  return sources.size > 0 ? noteSources(filled, sources) : env;
}

/** Whether `env` sets the variable, as the Go SDK reads it: AWS_MAX_ATTEMPTS=0 sets none, and the file's is used. */
function setInEnvironment(env: Env, variable: string): boolean {
  const value = env[variable];
  return Boolean(value) && !(variable === 'AWS_MAX_ATTEMPTS' && /^[+-]?0+$/.test(value!));
}

/** The file `variable` names (`~/` and `$NAME` expanded), else ~/.aws/`name`; undefined without either. */
function sharedFilePath(env: Env, variable: string, name: string, home: string | undefined): string | undefined {
  return pathFromVariable(env, variable, () => home) ?? (home && join(home, '.aws', name));
}

/**
 * Why the shared config file is not read, or misread, for a warning (readSharedConfig's `problem`), where
 * withSharedConfig would pass over it without a word, its endpoints unused (review: the request went to the Region's own endpoint): an
 * AWS_CONFIG_FILE whose path holds bytes that are not UTF-8 (Node reads them as U+FFFD, and cannot name the
 * file); a file of UTF-16 text (as Windows PowerShell 5 writes), of which no SDK reads a setting; one that
 * holds a lone CR (old Mac line ends), which the Go and JavaScript SDKs take for no line break, so that its
 * lines run together (botocore alone reads them), where taking it for one would read the file otherwise.
 * Undefined otherwise, a missing or unreadable file too.
 */
function configProblem(env: Env, { path, read }: ConfigFile): string | undefined {
  if (!path) return undefined;
  if (env.AWS_CONFIG_FILE && path.includes('\uFFFD')) return `the shared config file ${path} (AWS_CONFIG_FILE) is not read: its path ${NOT_UTF8_PATH}`;
  if (!read) return undefined;
  const { data, text } = read;
  if (startsAsUtf16(data)) {
    return `the shared config file ${path} is not read: it is UTF-16 text, as Windows PowerShell 5 writes with > or Out-File, of which the AWS SDKs read no setting: save it as UTF-8`;
  }
  // Only where a lone CR changes what is read: not a CR CR LF line end (a CRLF file converted again), nor one in a comment.
  return /\r(?!\n)/.test(text) && sectionsText(parseConfig(text)) !== sectionsText(parseConfig(text.replace(/\r(?!\n)/g, '\n')))
    ? `the shared config file ${path} is misread: it holds a lone CR (old Mac line ends), which the AWS SDKs (Go, JavaScript) take for no line break, running its lines together: save it with LF or CRLF line ends`
    : undefined;
}

/** The file's bytes, if it is a regular file of a config file's size (opened without waiting on a FIFO); else undefined. */
function configData(path: string | undefined): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readRegularFile(path, MAX_CONFIG_BYTES).data;
  } catch {
    return undefined;
  }
}

/**
 * The file's sections (see configData), a byte order mark at its start (as Windows Notepad writes) skipped, as
 * the JavaScript SDK skips it (its trim() takes it for a blank): the Go SDK takes the first header behind it
 * for none, so that the first section's settings (`[default]`'s, often) go unused without a word, and botocore
 * refuses the file.
 */
function sectionsOf(path: string | undefined): Map<string, Section> | undefined {
  const data = configData(path);
  return data && parseConfig(configText(data));
}

/** The file's text, without a byte order mark at its start (see sectionsOf). */
function configText(data: Buffer): string {
  return data.toString('utf8').replace(/^\uFEFF/, '');
}

/** The sections as text, to compare two readings of a file. */
function sectionsText(sections: Map<string, Section>): string {
  return JSON.stringify([...sections].map(([name, section]) => [name, [...section].map(([key, setting]) => [key, typeof setting === 'string' ? setting : [...setting]])]));
}

/** A setting's value, or (a setting with no value) the sub-settings indented under it. */
type Setting = string | Map<string, string>;
type Section = Map<string, Setting>;

/**
 * The sections of a shared config file as the Go SDK's INI reader (v2's, since its 2023 rewrite) takes them,
 * line by line (its internal/ini since v1.7): a comment line (`#` or `;` after spaces or tabs only); a header, the whole line short of a `#` or `;`
 * being `[name]` after blanks (`[profile  ops]` is `profile ops`: the first blanks only become one); a setting `key = value`
 * or `key: value`, not indented (the key in lower case, the value without a ` #` or ` ;` comment, which may
 * start right after the `=`, nor quotes around it; an empty value replaces an earlier one); a line indented
 * with blanks or tabs, which is a sub-setting of the setting above it if that has no value (`rolesanywhere =`
 * then `  endpoint_url = ...`, a comment kept in the value), or with no `=` or `:` a continuation, which the
 * Go SDK joins to a setting's value with a line break (the setting is then dropped here), else a setting of the
 * profile short of its comment (v1.7.2 promotes it: `  region = x # y` after `ca_bundle = z` is region x). Any
 * other line (`oops`, a key with no `=`) is skipped and the rest read, as that SDK skips it (botocore refuses the file). Blanks are Go's
 * (unicode.IsSpace): a byte order mark is none (sectionsOf drops one at the start of the file).
 */
function parseConfig(text: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let section: Section | undefined;
  let parent: Map<string, string> | undefined;
  // The setting with a value above, which an indented line with no `=` or `:` continues.
  let continued: string | undefined;
  for (const line of text.split('\n')) {
    const first = line.charCodeAt(0);
    const indented = first === 0x20 || first === 0x09;
    if (goTrim(line) === '' || /^[ \t]*[#;]/.test(line)) continue;
    const header = goTrim(before(line, /[#;]/));
    if (header.startsWith('[') && header.endsWith(']')) {
      const name = goTrim(header.slice(1, -1)).replace(/[ \t]+/, ' ');
      section = name === '' ? undefined : (sections.get(name) ?? new Map());
      if (section) sections.set(name, section);
      parent = continued = undefined;
      continue;
    }
    if (!section) continue;
    const setting = indented ? line : before(line, /[ \t][#;]/);
    const delimiter = setting.search(/[=:]/);
    // The Go SDK joins a continuation to the value with a line break: a value of two lines, none here (as below).
    if (delimiter < 0 && indented && continued !== undefined) section.delete(continued);
    if (delimiter < 0) continue;
    const key = goTrim(setting.slice(0, delimiter)).toLowerCase();
    const raw = unquoted(goTrim(setting.slice(delimiter + 1)));
    // An indented setting with no setting of no value above is the profile's own, short of its comment.
    const value = indented && !parent ? goTrim(before(raw, /[ \t][#;]/)) : raw;
    // A value holds no other line break (a lone \r), which a URL parser would drop, joining two lines.
    const broken = /[\r\u2028\u2029]/.test(value);
    if (indented && parent) {
      if (!broken) parent.set(key, value);
      continue;
    }
    // A setting of no key (`=`) is none to go under, as for the Go SDK (its current key is "", as after a header).
    parent = value === '' && key !== '' ? new Map() : undefined;
    continued = value === '' ? undefined : key;
    if (!broken) section.set(key, parent ?? value);
    else section.delete(key);
  }
  return sections;
}

/** `line` short of the first match of `mark` (a comment's start). */
function before(line: string, mark: RegExp): string {
  const at = line.search(mark);
  return at < 0 ? line : line.slice(0, at);
}

/**
 * max_attempts as the Go SDK reads it from the file, a Go integer literal (strconv.ParseInt base 0: `010` is 8,
 * `0x5` 5, `1_0` 10) and 0 for none, written in decimal; anything else as written, for the retry settings to
 * judge (the Go SDK refuses the file).
 */
function goMaxAttempts(text: string): string | undefined {
  if (!GO_INTEGER.test(text)) return text;
  const digits = text.replace(/_/g, '');
  const bare = digits.replace(/^[+-]/, '');
  const value = (digits.startsWith('-') ? -1 : 1) * (/^0[0-7]+$/.test(bare) ? Number.parseInt(bare, 8) : Number(bare));
  return !Number.isSafeInteger(value) ? text : value === 0 ? undefined : String(value);
}

const GO_INTEGER = /^[+-]?(?:0[xX](?:_?[\da-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?[0-7])*|[1-9](?:_?\d)*)$/;

function valueOf(setting: Setting | undefined): string | undefined {
  return typeof setting === 'string' ? setting : undefined;
}

/** Without Go's blanks (unicode.IsSpace) at either end: JavaScript's trim() takes a byte order mark for a blank too, and leaves U+0085. */
function goTrim(text: string): string {
  return trimBlanks(text, (code) => (code < 0x80 ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : isBlankPastAscii(code)));
}

function unquoted(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
