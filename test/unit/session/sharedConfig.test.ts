import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { variableSource } from '../../../src/context.js';
import { readSharedConfig, withSharedConfig } from '../../../src/session/sharedConfig.js';
import { inOnePass } from '../../support/onePass.js';

const folder = mkdtempSync(join(tmpdir(), 'rah-shared-config-'));
let files = 0;
/** The variables the config file adds to `env` (AWS_CONFIG_FILE set to it). */
function added(config: string, env: Record<string, string> = {}): Record<string, string | undefined> {
  const path = join(folder, `config-${++files}`);
  writeFileSync(path, config);
  const given = { AWS_CONFIG_FILE: path, AWS_SHARED_CREDENTIALS_FILE: join(folder, 'no-credentials'), ...env };
  return Object.fromEntries(Object.entries(withSharedConfig(given)).filter(([name, value]) => given[name as keyof typeof given] !== value));
}

describe('withSharedConfig', () => {
  it("reads the active profile's settings as botocore does: comments, CRLF, keys in any case, [profile default]", () => {
    const config = '# mine\r\n[profile default]\r\n; a note\r\nREGION = eu-west-1\r\nca_bundle=/etc/ca.pem\r\nmax_attempts = 5\r\n';
    expect(added(config)).toEqual({ AWS_REGION: 'eu-west-1', AWS_CA_BUNDLE: '/etc/ca.pem', AWS_MAX_ATTEMPTS: '5' });
  });

  it('reads values as the Go SDK does: `:` as well as `=`, a trailing comment dropped, quotes around the value removed', () => {
    const config = '[default]\nregion: eu-west-1\nca_bundle = "/etc/ca bundle.pem" ; corporate\nuse_fips_endpoint = true # required\n';
    expect(added(config)).toEqual({ AWS_REGION: 'eu-west-1', AWS_CA_BUNDLE: '/etc/ca bundle.pem', AWS_USE_FIPS_ENDPOINT: 'true' });
  });

  it('reads lines of long runs of blanks in one pass (fuzzing QA: a 100 KB line took 11 s, in every run)', () => {
    // The former pattern took about 20 s for these.
    const blanks = ' \t'.repeat(100_000);
    expect(inOnePass(() => added(`[default]\nnote${blanks}x\nregion${blanks}=${blanks}eu-west-1${blanks}\n`))).toEqual({ AWS_REGION: 'eu-west-1' });
  });

  it('skips comment lines that hold a setting, # or ; (mutation QA)', () => {
    expect(added('[default]\n# region = us-west-2\n; ca_bundle = /etc/old.pem\nmax_attempts = 2\n')).toEqual({ AWS_MAX_ATTEMPTS: '2' });
    for (const comment of ['# the private endpoint: see the wiki', '; the private endpoint: see the wiki']) {
      const config = `[default]\nservices = private\n[services private]\nrolesanywhere =\n${comment}\n  endpoint_url = https://ra.example\n`;
      expect(added(config)).toEqual({ AWS_ENDPOINT_URL_ROLESANYWHERE: 'https://ra.example' });
    }
    // Only blanks and tabs may come before a comment's # (internal/ini isLineComment): after a form feed it is a setting `# note`.
    expect(added('[default]\nservices = s\n[services s]\nrolesanywhere =\n\f# note = x\n  endpoint_url = https://ra.example\n')).toEqual({});
  });

  it('keeps a # or ; with no blank before it, and quotes that do not match, in the value (mutation QA)', () => {
    expect(added('[default]\nca_bundle = /etc/ca#1;x.pem\nendpoint_url = "https://ra.example\'\n')).toEqual({
      AWS_CA_BUNDLE: '/etc/ca#1;x.pem', AWS_ENDPOINT_URL: '"https://ra.example\'',
    });
  });

  it('reads a section given twice as one, and [profile  ops] with blanks between as [profile ops] (mutation QA)', () => {
    expect(added('[profile ops]\nregion = eu-west-1\n[default]\n[profile ops]\nmax_attempts = 4\n', { AWS_PROFILE: 'ops' })).toEqual({
      AWS_REGION: 'eu-west-1', AWS_MAX_ATTEMPTS: '4',
    });
    expect(added('[profile   ops]\nregion = eu-west-2\n', { AWS_PROFILE: 'ops' })).toEqual({ AWS_REGION: 'eu-west-2' });
  });

  it('takes a profile other than default only from [profile NAME], not [NAME] (mutation QA)', () => {
    expect(added('[ops]\nregion = eu-west-1\n', { AWS_PROFILE: 'ops' })).toEqual({});
  });

  it('takes AWS_DEFAULT_PROFILE when AWS_PROFILE is not set, as the Go SDK does', () => {
    const config = '[default]\nregion = us-east-1\n[profile ops]\nregion = eu-west-1\n';
    expect(added(config, { AWS_DEFAULT_PROFILE: 'ops' })).toEqual({ AWS_REGION: 'eu-west-1' });
    expect(added(config, { AWS_DEFAULT_PROFILE: 'ops', AWS_PROFILE: 'default' })).toEqual({ AWS_REGION: 'us-east-1' });
  });

  it('takes a comment right after the `=` for no value, as the Go SDK does (differential fuzzing QA: `endpoint_url = # later` was the endpoint)', () => {
    expect(added('[default]\nregion = eu-west-1\nendpoint_url = # set later\nca_bundle:\t; none yet\n')).toEqual({ AWS_REGION: 'eu-west-1' });
  });

  it('takes an indented line for a sub-setting of the setting above it with no value, else for a setting of the profile short of its comment, as the released Go SDK promotes it (internal/ini v1.7.2 on)', () => {
    const config = '[default]\n  endpoint_url = http://127.0.0.1:8443 # local\nregion = eu-west-1\n\tca_bundle = "/etc/ca.pem"\nuse_dualstack_endpoint =\n  use_fips_endpoint = true\n';
    expect(added(config)).toEqual({ AWS_ENDPOINT_URL: 'http://127.0.0.1:8443', AWS_REGION: 'eu-west-1', AWS_CA_BUNDLE: '/etc/ca.pem' });
    // A promoted setting with no value takes the sub-settings below it.
    const services = '[default]\nservices = s\n[services s]\nsts = none\n  rolesanywhere =\n    endpoint_url = https://ra.example\n';
    expect(added(services)).toEqual({ AWS_ENDPOINT_URL_ROLESANYWHERE: 'https://ra.example' });
    // A setting of no key leaves internal/ini no setting to go under (its ckey is ""): the line below is promoted.
    expect(added('[default]\n=\n  region = eu-west-1\n:\n\tca_bundle = /etc/ca.pem\n')).toEqual({ AWS_REGION: 'eu-west-1', AWS_CA_BUNDLE: '/etc/ca.pem' });
  });

  it("takes an indented line with no `=` or `:` for a continuation of the setting above, which the Go SDK joins to its value with a line break, and an indented header for a header, as the released Go SDK does (review: the endpoint before the break was used; internal/ini v1.7+ trims a header's blanks first)", () => {
    const config = '[default]\nendpoint_url = https://ra.example\n  /v2\nregion = eu-west-1\n  [profile ops]\nmax_attempts = 4\n  ; three\nca_bundle = /etc/ca.pem\n  # comment lines are none\n\t[profile ops] ; old\nregion = eu-west-2\n';
    expect(added(config)).toEqual({ AWS_REGION: 'eu-west-1' });
    expect(added(config, { AWS_PROFILE: 'ops' })).toEqual({ AWS_CA_BUNDLE: '/etc/ca.pem', AWS_MAX_ATTEMPTS: '4', AWS_REGION: 'eu-west-2' });
  });

  it('reads a header with a comment after its `]`, takes `[]` for a section of no name, and ends the setting above at a header, as the Go SDK does (mutation sweep)', () => {
    expect(added('[default] ; mine\nregion = eu-west-1\n[]\nca_bundle = /etc/ca.pem\n')).toEqual({ AWS_REGION: 'eu-west-1' });
    // Neither a continuation nor a sub-setting after a header belongs to the setting before it.
    expect(added('[default]\nregion = eu-west-1\n[default]\n  continued\n')).toEqual({ AWS_REGION: 'eu-west-1' });
    expect(added('[default]\nservices = s\n[services s]\nsts =\n[profile x]\n  endpoint_url = http://127.0.0.1:8444\n')).toEqual({});
  });

  it('takes a continuation of a setting with no value for nothing, and its sub-settings still (mutation sweep: the Go SDK joins a continuation only to a value)', () => {
    const config = '[default]\nservices = s\n[services s]\nrolesanywhere =\n  more\n  endpoint_url = http://127.0.0.1:8443\n';
    expect(added(config)).toEqual({ AWS_ENDPOINT_URL_ROLESANYWHERE: 'http://127.0.0.1:8443' });
  });

  it('drops a setting or sub-setting whose value holds a lone CR, U+2028 or U+2029, an earlier value of it too, and an empty sub-setting fills nothing (mutation sweep)', () => {
    const config = '[default]\nregion = eu-west-1\nregion = eu-west-2\rx\nca_bundle = /etc/a\u2028b.pem\nendpoint_url = http://a\u2029b\nservices = s\n[services s]\nrolesanywhere =\n  endpoint_url = http://127.0.0.1:8443\r/v2\nsts =\n  endpoint_url =\n';
    expect(added(config)).toEqual({});
  });

  it("removes single quotes around a value as double ones (mutation sweep)", () => {
    expect(added("[default]\nregion = 'eu-west-1'\n")).toEqual({ AWS_REGION: 'eu-west-1' });
  });

  it('takes a line with more than the name after its `]` for no section header, and a later empty value for none, as the Go SDK does (differential fuzzing QA)', () => {
    const config = '[default]\nregion = eu-west-1\nendpoint_url = https://ra.example\n[profile ops] (old)\nregion = eu-west-2\nendpoint_url =\n';
    expect(added(config)).toEqual({ AWS_REGION: 'eu-west-2' });
    expect(added(config, { AWS_PROFILE: 'ops' })).toEqual({});
  });

  it("skips an unindented line that is no comment, header or setting (`oops`, a key with no `=`), in either file, and reads the rest, as the Go SDK's INI reader has since its 2023 rewrite (QA: a mutation sweep took that SDK to refuse the file, as botocore does)", () => {
    // Skipped, such a line ends no setting: the indented line below it is still rolesanywhere's sub-setting.
    const config = 'oops\n[default]\nregion = eu-west-1\noops\nca_bundle\nservices = s\n[services s]\nrolesanywhere =\nstray words\n  endpoint_url = https://ra.example\n[profile ops]\nmax_attempts\nregion = eu-west-2\n';
    expect(added(config)).toEqual({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_ROLESANYWHERE: 'https://ra.example' });
    expect(added(config, { AWS_PROFILE: 'ops' })).toEqual({ AWS_REGION: 'eu-west-2' });
    const credentials = join(folder, 'credentials-with-a-stray-line');
    writeFileSync(credentials, '[default]\na/pasted+secret\nregion = eu-north-1\n');
    expect(added('[default]\nca_bundle = /etc/ca.pem\n', { AWS_SHARED_CREDENTIALS_FILE: credentials })).toEqual({ AWS_REGION: 'eu-north-1', AWS_CA_BUNDLE: '/etc/ca.pem' });
  });

  it("reads a header behind a byte order mark at the file's start, as the JavaScript SDK does, and splits a profile's name only at its first blanks, as the Go SDK does (differential fuzzing QA)", () => {
    // Windows Notepad writes one: the Go SDK then takes [default] for no header, its settings unused without a word (review).
    const config = '\uFEFF[default]\nregion = eu-west-1\n[profile ops]\nregion = eu-west-2\n[profile a  b]\nregion = eu-west-3\n[profile\u00A0dev]\nregion = eu-north-1\n';
    expect(added(config)).toEqual({ AWS_REGION: 'eu-west-1' });
    // Only at the start: one on a later line is part of it, as for both SDKs.
    expect(added('[profile ops]\nregion = eu-west-2\n\uFEFF[default]\nregion = eu-west-1\n')).toEqual({});
    expect(added(config, { AWS_PROFILE: 'ops' })).toEqual({ AWS_REGION: 'eu-west-2' });
    expect(added(config, { AWS_PROFILE: 'a  b' })).toEqual({ AWS_REGION: 'eu-west-3' });
    expect(added(config, { AWS_PROFILE: 'a b' })).toEqual({});
    expect(added(config, { AWS_PROFILE: 'dev' })).toEqual({});
  });

  it('reads max_attempts as the Go SDK does, a Go integer literal, 0 for none (differential fuzzing QA: 010 made 10 attempts, the reference 8)', () => {
    const attempts = (value: string) => added(`[default]\nmax_attempts = ${value}\n`).AWS_MAX_ATTEMPTS;
    expect(['010', '0x5', '0o7', '0b11', '1_0', '+4', '0', '08', 'abc', '5 # five', '-3', '99999999999999999999'].map(attempts)).toEqual(['8', '5', '7', '3', '10', '4', undefined, '08', 'abc', '5', '-3', '99999999999999999999']);
  });

  it('takes max_attempts where AWS_MAX_ATTEMPTS is 0, which the Go SDK reads as none (envdiff QA)', () => {
    expect(added('[default]\nmax_attempts = 5\n', { AWS_MAX_ATTEMPTS: '0' })).toEqual({ AWS_MAX_ATTEMPTS: '5' });
    expect(added('[default]\nmax_attempts = 5\n', { AWS_MAX_ATTEMPTS: '2' })).toEqual({});
    // Mutation QA: none of these was tested. 0 as strconv.ParseInt reads it, signed or padded; 10 and 05 are not 0.
    for (const zero of ['-0', '+00', '000']) expect(added('[default]\nmax_attempts = 5\n', { AWS_MAX_ATTEMPTS: zero })).toEqual({ AWS_MAX_ATTEMPTS: '5' });
    for (const other of ['10', '05']) expect(added('[default]\nmax_attempts = 5\n', { AWS_MAX_ATTEMPTS: other })).toEqual({});
    // Only AWS_MAX_ATTEMPTS: another variable's 0 is the environment's, refused where it is read.
    expect(added('[default]\nuse_fips_endpoint = true\n', { AWS_USE_FIPS_ENDPOINT: '0' })).toEqual({});
  });

  it("keeps a sub-setting's trailing comment in its value, as the Go SDK and botocore do (differential fuzzing QA)", () => {
    const config = '[default]\nservices = s\n[services s]\nrolesanywhere =\n  endpoint_url = https://ra.example # ours\n';
    expect(added(config)).toEqual({ AWS_ENDPOINT_URL_ROLESANYWHERE: 'https://ra.example # ours' });
  });

  it("reads the profile's settings in the shared credentials file too, as the Go SDK does (differential fuzzing QA: its region, ca_bundle and endpoints went unused)", () => {
    const credentials = join(folder, 'credentials-with-settings');
    writeFileSync(credentials, '[default]\nregion = eu-west-2\nendpoint_url = http://127.0.0.1:1\nmax_attempts = 4\n[dev]\nregion = ap-south-1\nendpoint_url = http://127.0.0.1:8443\nservices = local\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:8444\n[profile ops]\nregion = eu-north-1\n');
    const env = { AWS_SHARED_CREDENTIALS_FILE: credentials };
    // Where both files hold the profile, the credentials file's region, ca_bundle, FIPS, dual-stack and max_attempts win, and only those.
    expect(added('[default]\nregion = eu-west-1\nca_bundle = /etc/ca.pem\nmax_attempts = 2\n', env)).toEqual({ AWS_REGION: 'eu-west-2', AWS_CA_BUNDLE: '/etc/ca.pem', AWS_MAX_ATTEMPTS: '4' });
    // A profile of the credentials file alone is read whole, its services section too; [profile NAME] is none there.
    expect(added('[default]\n', { ...env, AWS_PROFILE: 'dev' })).toEqual({
      AWS_REGION: 'ap-south-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:8443', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:8444',
    });
    expect(added('[default]\n', { ...env, AWS_PROFILE: 'ops' })).toEqual({});
    const missing = join(folder, 'no-config');
    const filled = withSharedConfig({ AWS_CONFIG_FILE: missing, ...env, AWS_PROFILE: 'dev' });
    expect([filled.AWS_REGION, variableSource(filled, 'AWS_REGION')]).toEqual(['ap-south-1', `region in profile dev of ${credentials}`]);
  });

  it("takes the credentials file's ca_bundle, use_fips_endpoint and use_dualstack_endpoint over the config file's, its [profile NAME] for no profile, and the config file's services section whole over the credentials file's, as the Go SDK merges them (mutation sweep)", () => {
    const credentials = join(folder, 'credentials-over-config');
    writeFileSync(credentials, '[default]\nca_bundle = /etc/mine.pem\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n[profile ops]\nregion = eu-north-1\n[services s]\nsts =\n  endpoint_url = http://127.0.0.1:8444\n');
    const env = { AWS_SHARED_CREDENTIALS_FILE: credentials };
    const config = '[default]\nca_bundle = /etc/ca.pem\nuse_fips_endpoint = false\nuse_dualstack_endpoint = false\nservices = s\n[services s]\nrolesanywhere =\n  endpoint_url = http://127.0.0.1:8443\n';
    expect(added(config, env)).toEqual({
      AWS_CA_BUNDLE: '/etc/mine.pem', AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true', AWS_ENDPOINT_URL_ROLESANYWHERE: 'http://127.0.0.1:8443',
    });
    expect(added('[default]\n', { ...env, AWS_PROFILE: 'profile ops' })).toEqual({});
  });

  it('expands `~/` and `$NAME` in AWS_CONFIG_FILE, as the AWS CLI does (QA: a systemd Environment= of ~/cfg was ignored)', () => {
    const home = mkdtempSync(join(tmpdir(), 'rah-shared-config-home-'));
    writeFileSync(join(home, 'cfg'), '[default]\nregion = eu-west-3\n');
    const cases: [string, string][] = [
      ['~/cfg', join(home, 'cfg')],
      ['$HOME/cfg', `${home}/cfg`],
      ['${HOME}/cfg', `${home}/cfg`],
    ];
    for (const [given, path] of cases) {
      const env = withSharedConfig({ AWS_CONFIG_FILE: given, HOME: home });
      expect([given, env.AWS_REGION, variableSource(env, 'AWS_REGION')]).toEqual([given, 'eu-west-3', `region in profile default of ${path}`]);
    }
    // Without a home folder, `~/` stays as written, a file that is not there.
    expect(withSharedConfig({ AWS_CONFIG_FILE: '~/cfg' }).AWS_REGION).toBeUndefined();
  });

  it('names where a filled variable came from', () => {
    const path = join(folder, 'named');
    writeFileSync(path, '[profile dev]\nuse_fips_endpoint = yes\n');
    const env = withSharedConfig({ AWS_CONFIG_FILE: path, AWS_PROFILE: 'dev' });
    expect(variableSource(env, 'AWS_USE_FIPS_ENDPOINT')).toBe(`use_fips_endpoint in profile dev of ${path}`);
    expect(variableSource(env, 'AWS_REGION')).toBe('AWS_REGION');
  });

  it("takes AWS_PROFILE's profile, and its services section's endpoints", () => {
    const config = [
      '[default]', 'region = us-east-1',
      '[profile dev]', 'services = local', 'use_fips_endpoint = false',
      '[services local]', 'rolesanywhere =', '  endpoint_url = http://127.0.0.1:8443', 's3 =', '  endpoint_url = http://s3.local', 'sts =', '  endpoint_url = http://127.0.0.1:8444',
    ].join('\n');
    expect(added(config, { AWS_PROFILE: 'dev' })).toEqual({
      AWS_USE_FIPS_ENDPOINT: 'false',
      AWS_ENDPOINT_URL_ROLESANYWHERE: 'http://127.0.0.1:8443',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:8444',
    });
  });

  it('ranks below the variables, as the SDKs do: AWS_DEFAULT_REGION beats region, AWS_ENDPOINT_URL a services endpoint', () => {
    const config = ['[default]', 'region = eu-west-1', 'services = local', 'endpoint_url = http://global', '[services local]', 'rolesanywhere =', '  endpoint_url = http://own'].join('\n');
    expect(added(config, { AWS_DEFAULT_REGION: 'us-west-2', AWS_ENDPOINT_URL: 'http://env' })).toEqual({});
    expect(added(config, { AWS_ENDPOINT_URL_ROLESANYWHERE: 'http://env-own' })).toEqual({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://global' });
  });

  it('changes nothing without the file, the profile, or a HOME to find it by', () => {
    expect(added('[profile other]\nregion = eu-west-1\n')).toEqual({});
    expect(withSharedConfig({ AWS_CONFIG_FILE: join(folder, 'missing') })).toEqual({ AWS_CONFIG_FILE: join(folder, 'missing') });
    expect(withSharedConfig({ AWS_CONFIG_FILE: folder })).toEqual({ AWS_CONFIG_FILE: folder }); // a folder: unreadable
  });

  it('finds ~/.aws/config in HOME as given, as the Go SDK and the AWS CLI do', () => {
    // A relative HOME is taken from the working folder, as they take it.
    const work = mkdtempSync(join(tmpdir(), 'rah-relative-home-'));
    mkdirSync(join(work, 'relative', '.aws'), { recursive: true });
    writeFileSync(join(work, 'relative', '.aws', 'config'), '[default]\nregion = eu-west-1\n');
    const cwd = process.cwd();
    process.chdir(work);
    try {
      expect(withSharedConfig({ HOME: 'relative' })).toMatchObject({ HOME: 'relative', AWS_REGION: 'eu-west-1' });
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('readSharedConfig: the problem', () => {
  it('names an AWS_CONFIG_FILE Node cannot name (bytes that are not UTF-8, read as U+FFFD), and nothing else (review)', () => {
    expect(readSharedConfig({ AWS_CONFIG_FILE: '/home/caf\uFFFD/config' }).problem).toBe(
      'the shared config file /home/caf\uFFFD/config (AWS_CONFIG_FILE) is not read: its path holds bytes that are not UTF-8 (shown as \uFFFD), which Node.js cannot name',
    );
    expect(readSharedConfig({ AWS_CONFIG_FILE: '~/config', HOME: '/home/caf\uFFFD' }).problem).toMatch(/^the shared config file \/home\/caf\uFFFD\/config /);
    for (const env of [{}, { AWS_CONFIG_FILE: '/no/such/config' }, { HOME: '/home/caf\uFFFD' }]) expect(readSharedConfig(env).problem).toBeUndefined();
  });

  it('names a file the Go and JavaScript SDKs misread without a word: UTF-16 text, lone CR line ends (review)', () => {
    const problem = (data: string | Buffer, env: Record<string, string> = {}) => {
      const path = join(folder, `config-${++files}`);
      writeFileSync(path, data);
      return { path, problem: readSharedConfig({ AWS_CONFIG_FILE: path, ...env }).problem };
    };
    const config = '[default]\r\nregion = eu-west-1\r\n';
    const utf16 = (text: string) => Buffer.from(text, 'utf16le');
    // Little- and big-endian, with a byte order mark and without, one without beginning with a blank line (mutation review).
    for (const data of [utf16(`\uFEFF${config}`), utf16(config), utf16(`\uFEFF${config}`).swap16(), utf16(config).swap16(), utf16(`\n${config}`), utf16(`\r\n${config}`)]) {
      const { path, problem: said } = problem(data);
      expect(said).toBe(
        `the shared config file ${path} is not read: it is UTF-16 text, as Windows PowerShell 5 writes with > or Out-File, of which the AWS SDKs read no setting: save it as UTF-8`,
      );
    }
    const oldMac = problem(config.replaceAll('\r\n', '\r'));
    expect(oldMac.problem).toBe(
      `the shared config file ${oldMac.path} is misread: it holds a lone CR (old Mac line ends), which the AWS SDKs (Go, JavaScript) take for no line break, running its lines together: save it with LF or CRLF line ends`,
    );
    // ~/.aws/config too, where AWS_CONFIG_FILE names none.
    const home = mkdtempSync(join(tmpdir(), 'rah-config-home-'));
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'config'), '[default]\rregion = eu-west-1\r');
    expect(readSharedConfig({ HOME: home }).problem).toMatch(/^the shared config file .*\/\.aws\/config is misread: it holds a lone CR/);
    // CRLF, a CR ending the file, a byte order mark (read, as the JavaScript SDK reads it): nothing to say.
    for (const data of [config, `${config}region = x\r`, `\uFEFF${config}`, '']) expect(problem(data).problem).toBeUndefined();
  });

  it('says nothing of a lone CR the file reads the same without: CR CR LF line ends, a CR in a comment or before one (review: "misread" where it was read as written)', () => {
    const problem = (data: string) => {
      const path = join(folder, `config-${++files}`);
      writeFileSync(path, data);
      return readSharedConfig({ AWS_CONFIG_FILE: path }).problem;
    };
    // A CRLF file converted once more (\r\r\n), as a tool writing \r\n in text mode on Windows leaves it.
    for (const data of ['[default]\r\r\nregion = eu-west-1\r\r\n', '[default]\n# a note\r pasted\nregion = eu-west-1\n', '[default]\nregion = eu-west-1\r # note\n']) {
      expect(added(data)).toEqual({ AWS_REGION: 'eu-west-1' });
      expect(problem(data)).toBeUndefined();
    }
    // One that splits a value, or a setting from its header, is misread: said.
    // Each lone CR counts, not the first alone (mutation review: one in a comment before one that hides [default]).
    for (const data of ['[default]\nregion = eu-\rwest-1\n', '[default]\rregion = eu-west-1\n', '# a note\r pasted\n[default]\rregion = eu-west-1\n']) {
      expect(problem(data)).toMatch(/ is misread: it holds a lone CR /);
    }
  });
});
