import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { pkcs8Pem } from '../../src/emulator/pki/generateKey.js';
import { errorLine, expectFailure, projectRoot, runCli } from '../support/cli.js';
import { databaseHome } from '../support/databaseHome.js';
import { ARN_FLAGS, ARNS, Scenario, type LeafFiles } from '../support/scenario.js';

/**
 * The shared config file (~/.aws/config, AWS_CONFIG_FILE), whose active profile (AWS_PROFILE) the
 * reference's Go SDK loads: its ca_bundle, region, endpoint_url, services endpoints and FIPS switch count
 * where the variables say nothing, and below them.
 */
let scenario: Scenario;
let https: RunningEmulator;
let leaf: LeafFiles;
let home: string;
let tls: { certificate: string; privateKey: string };

beforeAll(async () => {
  scenario = await Scenario.start();
  const server = await scenario.ca.issue({ subject: 'CN=localhost', keyAlgorithm: 'ec-p256', subjectAltNames: { ip: ['127.0.0.1'] } });
  tls = { certificate: server.pem, privateKey: pkcs8Pem(server.key!) };
  https = await scenario.otherEmulator({ tls });
  leaf = await scenario.leaf('shared-config');
  home = scenario.workspace.path('home');
  mkdirSync(join(home, '.aws'), { recursive: true });
});
afterAll(async () => scenario.stop());

const keyAndArns = () => [
  '--certificate', leaf.certPath, '--private-key', leaf.keyPath,
  ...ARN_FLAGS,
];
/** credential-process with this config file as ~/.aws/config (or as AWS_CONFIG_FILE when `asVariable`). */
async function withConfig(config: string, { extra = [] as string[], env = {} as Record<string, string>, asVariable = false } = {}) {
  const path = scenario.workspace.write(asVariable ? 'elsewhere.config' : 'home/.aws/config', config);
  return runCli(['credential-process', ...keyAndArns(), ...extra], { env: { HOME: home, ...(asVariable ? { AWS_CONFIG_FILE: path } : {}), ...env } });
}
const issuedBy = (emulator: RunningEmulator, result: { stdout: string; stderr: string }) => {
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout).AccessKeyId).toBe(emulator.issued.at(-1)!.accessKeyId);
};

describe('credential-process and the shared config file', () => {
  it("takes the default profile's ca_bundle, as AWS_CA_BUNDLE", async () => {
    const config = `[default]\nca_bundle = ${scenario.workspace.path('root.pem')}\n`;
    issuedBy(https, await withConfig(config, { extra: ['--endpoint', https.url] }));
    const without = await withConfig('[default]\n', { extra: ['--endpoint', https.url] });
    expect(errorLine(without)).toMatch(/TLS certificate verification failed/);
  });

  it("takes a services section's rolesanywhere endpoint_url, of the profile AWS_PROFILE names, from AWS_CONFIG_FILE", async () => {
    const config = [
      '[default]', 'region = eu-west-1', '',
      '[profile workload]', 'services = local', `ca_bundle = ${scenario.workspace.path('root.pem')}`, '',
      '[services local]', 'rolesanywhere =', `  endpoint_url = ${https.url}`, 'sts =', '  endpoint_url = https://sts.example', '',
    ].join('\n');
    issuedBy(https, await withConfig(config, { env: { AWS_PROFILE: 'workload' }, asVariable: true }));
  });

  it('ranks below the variables: AWS_ENDPOINT_URL beats a services endpoint_url, AWS_CA_BUNDLE the ca_bundle', async () => {
    const config = ['[default]', 'services = nowhere', 'ca_bundle = /no/such/bundle.pem', '[services nowhere]', 'rolesanywhere =', '  endpoint_url = http://127.0.0.1:9'].join('\n');
    issuedBy(https, await withConfig(config, { env: { AWS_ENDPOINT_URL: https.url, AWS_CA_BUNDLE: scenario.workspace.path('root.pem') } }));
  });

  it('names a setting it refuses by the setting, the profile and the file', async () => {
    const config = scenario.workspace.path('home/.aws/config');
    const fips = await withConfig('[default]\nuse_fips_endpoint = true # required here\n', { extra: ['--endpoint', https.url] });
    expect(fips.code).toBe(1);
    expect(fips.stdout).toBe('');
    expect(errorLine(fips)).toBe(`FIPS (use_fips_endpoint in profile default of ${config}) and a custom endpoint (--endpoint) cannot be used together`);
    const attempts = await withConfig('[default]\nmax_attempts = "none"\n', { extra: ['--endpoint', https.url] });
    expectFailure(attempts, `invalid max_attempts in profile default of ${config} "none": it must be a whole number, 1 or more (0 for the default, 3)`);
  });

  // Each bundle (the CLI's, serve's and update's session, the library's) holds its own copy of the module
  // that records where a filled variable came from: they named AWS_MAX_ATTEMPTS, which was not set, and the
  // library refused the ignore_configured_endpoint_urls the Go SDK reads as false (QA).
  it('update, serve and the library name a setting they refuse by the setting too, and read it as credential-process does', async () => {
    const config = scenario.workspace.write('home/.aws/config', '[default]\nmax_attempts = "none"\n');
    const refused = `invalid max_attempts in profile default of ${config} "none": it must be a whole number, 1 or more (0 for the default, 3)`;
    const env = { HOME: scenario.workspace.path('home') };
    expectFailure(await runCli(['update', '--once', ...keyAndArns(), '--endpoint', scenario.emulator.url], { env }), refused);
    const serve = await runCli(['serve', '--port', '0', ...keyAndArns(), '--endpoint', scenario.emulator.url], { env });
    expect(serve.code).toBe(1);
    expect(serve.stdout).toBe('');
    expect(errorLine(serve)).toContain(refused);
    const library = (options: Record<string, string>, variables: Record<string, string> = {}) =>
      runCli([], {
        program: '-',
        env: { ...env, ...variables },
        input: `require(${JSON.stringify(join(projectRoot, 'dist/index.cjs'))}).fromRolesAnywhere(${JSON.stringify({
          certificate: leaf.certPath, privateKey: leaf.keyPath, trustAnchorArn: ARNS.trustAnchorArn, profileArn: ARNS.profileArn, roleArn: ARNS.roleArn, ...options,
        })})().then(() => console.log('issued'), (error) => console.log(error.message))`,
      });
    expect((await library({ endpoint: scenario.emulator.url })).stdout).toBe(`fromRolesAnywhere: ${refused}\n`);
    scenario.workspace.write('home/.aws/config', '[default]\nignore_configured_endpoint_urls = maybe\n');
    expect((await library({}, { AWS_ENDPOINT_URL_ROLESANYWHERE: scenario.emulator.url })).stdout).toBe('issued\n');
  });

  it('warns of an AWS_CONFIG_FILE whose path Node cannot name (bytes that are not UTF-8), whose endpoints would go unused without a word (review)', async () => {
    const path = scenario.workspace.path('caf\uFFFD/config');
    const result = await runCli(['version'], { env: { AWS_CONFIG_FILE: path } });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d/) });
    expect(result.stderr).toMatch(
      new RegExp(`^\\S+ \\S+ warning: the shared config file ${path.replaceAll('/', '\\/')} \\(AWS_CONFIG_FILE\\) is not read: its path holds bytes that are not UTF-8 \\(shown as \uFFFD\\), which Node.js cannot name\n$`),
    );
  });

  it('changes nothing where there is no such profile or file', async () => {
    issuedBy(scenario.emulator, await withConfig('[profile other]\nuse_fips_endpoint = true\n', { extra: ['--endpoint', scenario.emulator.url] }));
    const missing = await runCli(['credential-process', ...keyAndArns(), '--endpoint', scenario.emulator.url], { env: { AWS_CONFIG_FILE: '/no/such/config' } });
    issuedBy(scenario.emulator, missing);
  });

  // The user database's home is hidden, in a mount namespace of the helper's own (root's to make), behind a
  // folder of the test's: which can be done only when the helper, Node and the tests' files are elsewhere.
  const home = databaseHome();
  const outside = (path: string) => !!home && relative(home, path).startsWith('..');
  it.runIf(process.getuid?.() === 0 && [projectRoot, process.execPath, tmpdir()].every(outside))(
    "without HOME, uses the user database's home for the config file, the credentials file and the cache alike, as the Go SDK and the AWS CLI do (QA: only update did)",
    async () => {
      const hidden = scenario.workspace.path('database-home');
      mkdirSync(join(hidden, '.aws'), { recursive: true });
      writeFileSync(join(hidden, '.aws', 'config'), `[default]\nendpoint_url = ${scenario.emulator.url}\n`);
      const via = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec env -u HOME "$@"', 'sh', hidden, home!];
      const env = { ROLES_ANYWHERE_HELPER_CACHE_DIR: '' };
      issuedBy(scenario.emulator, await runCli(['credential-process', ...keyAndArns(), '--cache'], { env, via }));
      expect(readdirSync(join(hidden, '.cache', 'roles-anywhere-helper', 'credentials')).length).toBe(1); // the entry
      expect(await runCli(['update', '--once', ...keyAndArns()], { env, via })).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(readFileSync(join(hidden, '.aws', 'credentials'), 'utf8')).toMatch(/^\[default\]\naws_access_key_id = /);
    },
  );

  it('--cache: a hit answers only while the profile says the same (the shortcut too)', async () => {
    const cache = { ROLES_ANYWHERE_HELPER_CACHE_DIR: scenario.workspace.path('shared-config-cache') };
    const config = (endpoint: string) =>
      ['[default]', 'services = here', `ca_bundle = ${scenario.workspace.path('root.pem')}`, '[services here]', 'rolesanywhere =', `  endpoint_url = ${endpoint}`].join('\n');
    const run = (endpoint: string) => withConfig(config(endpoint), { extra: ['--cache'], env: cache });
    issuedBy(https, await run(https.url));
    const before = https.issued.length;
    expect((await run(https.url)).code).toBe(0); // a full check, which leaves a shortcut
    const folder = join(cache.ROLES_ANYWHERE_HELPER_CACHE_DIR, 'credentials');
    const shortcut = () => {
      const [name, ...others] = readdirSync(folder).filter((file) => file.endsWith('.shortcut'));
      expect(others).toEqual([]);
      const { ino, mtimeMs } = statSync(join(folder, name!));
      return { name, ino, mtimeMs };
    };
    const left = shortcut();
    expect((await run(https.url)).code).toBe(0); // through the shortcut, which a full check would have written again
    expect(shortcut()).toEqual(left);
    expect(https.issued.length).toBe(before);
    const other = await scenario.otherEmulator({ tls });
    issuedBy(other, await run(other.url));
    expect(https.issued.length).toBe(before);
  });
});
