import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import type { fromRolesAnywhere as FromRolesAnywhere } from '../../src/index.js';
import { pkcs8Pem } from '../../src/emulator/pki/generateKey.js';
import { withEnv } from '../support/awsClients.js';
import { failureMessage, projectRoot, runCli } from '../support/cli.js';
import { startProxy, type TestProxy } from '../support/proxy.js';
import { ARN_FLAGS, ARNS, Scenario, type LeafFiles } from '../support/scenario.js';

const { fromRolesAnywhere } = createRequire(import.meta.url)(join(projectRoot, 'dist/index.cjs')) as { fromRolesAnywhere: typeof FromRolesAnywhere };

/** The trust anchor's Region (us-east-1) endpoints, which only the proxy can reach: it sends them all to the emulator. */
const HOSTS = {
  plain: 'rolesanywhere.us-east-1.amazonaws.com',
  fips: 'rolesanywhere-fips.us-east-1.amazonaws.com',
  dualStack: 'rolesanywhere.us-east-1.api.aws',
  both: 'rolesanywhere-fips.us-east-1.api.aws',
};

let scenario: Scenario;
let https: RunningEmulator;
let proxy: TestProxy;
let leaf: LeafFiles;
let env: Record<string, string>;

beforeAll(async () => {
  scenario = await Scenario.start();
  const server = await scenario.ca.issue({ subject: `CN=${HOSTS.fips}`, keyAlgorithm: 'ec-p256', subjectAltNames: { dns: Object.values(HOSTS) } });
  https = await scenario.otherEmulator({ tls: { certificate: server.pem, privateKey: pkcs8Pem(server.key!) } });
  proxy = await startProxy(Number(new URL(https.url).port));
  leaf = await scenario.leaf('endpoints');
  env = { HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: scenario.workspace.path('root.pem') };
});
afterAll(async () => {
  await proxy.close();
  await scenario.stop();
});

const credentialProcess = (extra: string[], extraEnv: Record<string, string> = {}) =>
  runCli(
    [
      'credential-process',
      '--certificate', leaf.certPath,
      '--private-key', leaf.keyPath,
      ...ARN_FLAGS,
      ...extra,
    ],
    { env: { ...env, ...extraEnv } },
  );

describe('--use-fips-endpoint and --use-dualstack-endpoint', () => {
  // The emulator refuses a credential scope whose Region is not the trust anchor's: a `fips` marker there fails.
  it.each([
    [['--use-fips-endpoint'], HOSTS.fips],
    [['--use-dualstack-endpoint'], HOSTS.dualStack],
    [['--use-fips-endpoint', '--use-dualstack-endpoint'], HOSTS.both],
  ])('%j sends CreateSession to %s, signed for the plain Region', async (flags, host) => {
    const before = proxy.targets.length;
    const result = await credentialProcess(flags);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).AccessKeyId).toBe(https.issued.at(-1)!.accessKeyId);
    expect(proxy.targets.slice(before)).toEqual([`${host}:443`]);
  });

  it('as AWS_USE_FIPS_ENDPOINT does, which the flag need not repeat', async () => {
    const before = proxy.targets.length;
    const result = await credentialProcess([], { AWS_USE_FIPS_ENDPOINT: 'true' });
    expect(result.code).toBe(0);
    expect(proxy.targets.slice(before)).toEqual([`${HOSTS.fips}:443`]);
  });

  it.each([
    ['--use-fips-endpoint=false', 'AWS_USE_FIPS_ENDPOINT'],
    ['--use-dualstack-endpoint=false', 'AWS_USE_DUALSTACK_ENDPOINT'],
  ])('%s wins over %s=true: the Region\'s plain endpoint', async (flag, variable) => {
    const before = proxy.targets.length;
    const result = await credentialProcess([flag], { [variable]: 'true' });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(proxy.targets.slice(before)).toEqual([`${HOSTS.plain}:443`]);
  });

  it('with --endpoint is refused, naming both flags, before anything is sent', async () => {
    const before = proxy.targets.length;
    const result = await credentialProcess(['--use-fips-endpoint', '--endpoint', https.url]);
    expect(failureMessage(result)).toBe('FIPS (--use-fips-endpoint) and a custom endpoint (--endpoint) cannot be used together');
    expect(proxy.targets.length).toBe(before);
  });

  it("the library's useFipsEndpoint and useDualstackEndpoint", async () => {
    await withEnv(env, async () => {
      const before = proxy.targets.length;
      const provider = fromRolesAnywhere({
        certificate: leaf.certPath,
        privateKey: leaf.keyPath,
        trustAnchorArn: ARNS.trustAnchorArn,
        profileArn: ARNS.profileArn,
        roleArn: ARNS.roleArn,
        useFipsEndpoint: true,
        useDualstackEndpoint: true,
      });
      expect((await provider()).accessKeyId).toBe(https.issued.at(-1)!.accessKeyId);
      await provider.close();
      expect(proxy.targets.slice(before)).toEqual([`${HOSTS.both}:443`]);
    });
  });
});
