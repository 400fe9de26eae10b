import { join } from 'node:path';
import { noteSources, type Env } from '../context.js';
import { homeFolder } from '../files/homeFolder.js';
import { NOT_UTF8_PATH } from '../files/nonUtf8Path.js';
import { pathFromVariable } from '../files/pathFromVariable.js';
import { readRegularFile } from '../files/readInputFile.js';

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

/**
 * The environment with the shared config file's active profile filled in where the variables say nothing,
 * as the reference's Go SDK loads it: the file is AWS_CONFIG_FILE (`~/` and `$NAME` expanded, as the AWS CLI
 * reads it), else ~/.aws/config (the home folder as homeFolder finds it); the profile
 * AWS_PROFILE, else AWS_DEFAULT_PROFILE, else `default`. Its `region` (below AWS_REGION and
 * AWS_DEFAULT_REGION), `ca_bundle`, `endpoint_url`, `ignore_configured_endpoint_urls`, `use_fips_endpoint`,
 * `use_dualstack_endpoint`, `max_attempts`, and the `endpoint_url` of `rolesanywhere` and `sts` in its
 * `services` section (below AWS_ENDPOINT_URL too, as the SDKs rank them) become the variables, and messages
 * name them by the setting (variableSource). A file that is not there, is not a regular file, or cannot be
 * read changes nothing, and so does a profile it lacks.
 */
export function withSharedConfig(env: Env): Env {
  const home = homeFolder(env);
  const path = pathFromVariable(env, 'AWS_CONFIG_FILE', () => home) ?? (home && join(home, '.aws', 'config'));
  const text = path && readConfigFile(path);
  if (!text) return env;
  const sections = parseConfig(text);
  const name = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  const profile = sections.get(`profile ${name}`) ?? (name === 'default' ? sections.get('default') : undefined);
  if (!profile) return env;
  const filled: Record<string, string | undefined> = { ...env };
  const sources = new Map<string, string>();
  const fill = (variable: string, value: string | undefined, setting: string) => {
    if (value === undefined || value === '' || env[variable]) return;
    filled[variable] = value;
    sources.set(variable, `${setting} in profile ${name} of ${path}`);
  };
  for (const [setting, variable] of Object.entries(PROFILE_SETTINGS)) fill(variable, profile.get(setting), setting);
  if (!env.AWS_REGION && !env.AWS_DEFAULT_REGION) fill('AWS_REGION', profile.get('region'), 'region');
  const servicesName = profile.get('services');
  const services = servicesName === undefined ? undefined : sections.get(`services ${servicesName}`);
  if (services && !env.AWS_ENDPOINT_URL) {
    for (const [service, variable] of Object.entries(SERVICE_ENDPOINTS)) {
      fill(variable, services.get(`${service}.endpoint_url`), `${service} endpoint_url (services ${servicesName})`);
    }
  }
  return sources.size > 0 ? noteSources(filled, sources) : env;
}

/**
 * Why the shared config file AWS_CONFIG_FILE names cannot be read, for a warning, where its path holds bytes
 * that are not UTF-8 (Node reads them as U+FFFD, and cannot name the file): withSharedConfig passes over it,
 * as over a file that is not there, and its endpoints would go unused without a word (review: the
 * request went to the Region's own endpoint). Undefined otherwise.
 */
export function sharedConfigProblem(env: Env): string | undefined {
  const path = env.AWS_CONFIG_FILE && pathFromVariable(env, 'AWS_CONFIG_FILE', () => homeFolder(env));
  return path && path.includes('\uFFFD')
    ? `the shared config file ${path} (AWS_CONFIG_FILE) is not read: its path ${NOT_UTF8_PATH}`
    : undefined;
}

/** The file's text, if it is a regular file of a config file's size (opened without waiting on a FIFO); else undefined. */
function readConfigFile(path: string): string | undefined {
  try {
    return readRegularFile(path, MAX_CONFIG_BYTES).data.toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * The sections of a shared config file as the Go SDK's INI reader takes them: `[name]` headers, `key = value`
 * or `key: value` settings (keys in lower case; a value's trailing ` #` or ` ;` comment dropped, and quotes
 * around the whole value), comment lines, and a setting with no value followed by lines indented deeper
 * holding sub-settings (`rolesanywhere =` then `  endpoint_url = ...`), kept as `rolesanywhere.endpoint_url`.
 */
function parseConfig(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  let parent: { key: string; indent: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    const content = line.trim();
    if (content === '' || content.startsWith('#') || content.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]/.exec(content);
    if (header) {
      const name = header[1]!.trim().replace(/\s+/g, ' ');
      section = sections.get(name) ?? new Map<string, string>();
      sections.set(name, section);
      parent = undefined;
      continue;
    }
    // By index: a pattern for the key, the blanks and the delimiter went over each run of blanks again from
    // each of its characters (fuzzing QA: a 100 KB line took 11 s, on every run). A value holds no other
    // line break (a lone \r), as that pattern's `.` took none.
    const delimiter = content.search(/[=:]/);
    if (!section || delimiter <= 0) continue;
    const rest = content.slice(delimiter + 1).trimStart();
    if (/[\r\u2028\u2029]/.test(rest)) continue;
    const indent = line.length - line.trimStart().length;
    const key = content.slice(0, delimiter).trimEnd().toLowerCase();
    const value = unquoted(rest.replace(/[ \t][#;].*$/, '').trim());
    if (parent && indent > parent.indent) {
      section.set(`${parent.key}.${key}`, value);
      continue;
    }
    parent = value === '' ? { key, indent } : undefined;
    if (value !== '') section.set(key, value);
  }
  return sections;
}

function unquoted(value: string): string {
  return /^(["']).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value;
}
