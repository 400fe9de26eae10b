import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClientEnv } from '../support/awsClients.js';
import { cliCommandLine, runCli } from '../support/cli.js';
import { startServe } from '../support/longRunning.js';
import { Scenario, type LeafFiles } from '../support/scenario.js';

// The AWS SDK for Ruby (Debian's ruby-aws-sdk-core, scripts/setup.sh), a client neither JavaScript's nor
// botocore's: its own INI reader, a strict Time.iso8601 for Expiration, Net::HTTP, and an IMDS client that
// keeps its token for the TTL the PUT's answer gives.

let scenario: Scenario;
let leaf: LeafFiles;
let server: Awaited<ReturnType<typeof startServe>>;

const keyFlags = () => ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];

/** GetCallerIdentity from Ruby, signed with the credentials its provider found: with `imds`, serve's (by URL and port), else the default chain's. */
const RUBY = `
require 'aws-sdk-core'
require 'json'
creds = ARGV[0] && Aws::InstanceProfileCredentials.new(endpoint: ARGV[0], port: ARGV[1].to_i, retries: 0)
sts = Aws::STS::Client.new({ region: 'us-east-1', endpoint: ENV['STS_ENDPOINT'], credentials: creds }.compact)
arn = sts.get_caller_identity.arn
c = sts.config.credentials
puts JSON.generate(provider: c.class.name, key: c.credentials.access_key_id, expiration: c.respond_to?(:expiration) ? c.expiration&.utc&.iso8601 : nil, arn: arn)
`;

async function ruby(env: Record<string, string>, args: string[] = []): Promise<{ provider: string; key: string; expiration: string | null; arn: string }> {
  const { stdout } = await promisify(execFile)('ruby', ['-e', RUBY, ...args], {
    env: sdkClientEnv(scenario, env),
  });
  return JSON.parse(stdout);
}

/** The caller is the role, and the emulator verified the signature of Ruby's request with the key it issued. */
function expectVerified(result: { key: string; arn: string }): void {
  expect(result.arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/test-role\//);
  expect(scenario.emulator.stsCalls.at(-1)).toMatchObject({ action: 'GetCallerIdentity', status: 200, callerArn: result.arn });
  expect(scenario.emulator.issued.some((issued) => issued.accessKeyId === result.key)).toBe(true);
}

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('ruby');
  server = await startServe([...keyFlags(), ...scenario.sessionFlags()]);
});
afterAll(async () => {
  await server.stop();
  await scenario.stop();
});

describe('the AWS SDK for Ruby', () => {
  it('runs credential-process from a config profile, reads its Expiration, and signs with what it printed', async () => {
    const command = cliCommandLine(['credential-process', ...keyFlags(), ...scenario.sessionFlags()]);
    const config = scenario.workspace.write('ruby-config', `[profile ruby]\ncredential_process = ${command}\nregion = us-east-1\n`);
    const result = await ruby({ AWS_CONFIG_FILE: config, AWS_PROFILE: 'ruby' });
    const issued = scenario.emulator.issued.at(-1)!;
    expect(result).toMatchObject({ provider: 'Aws::ProcessCredentials', key: issued.accessKeyId, expiration: issued.expiration });
    expectVerified(result);
  });

  it("gets serve's credentials with its EC2 instance-metadata provider (IMDSv2: the token PUT, the role listed, the document)", async () => {
    // The port is given as well: aws-sdk-core before a fix of March 2024 (Debian 12's 3.168.1) asks port 80 whatever the URL says.
    const result = await ruby({ AWS_EC2_METADATA_DISABLED: 'false' }, [server.url, String(server.port)]);
    expect(result.provider).toBe('Aws::InstanceProfileCredentials');
    expect(result.expiration).toBe(scenario.emulator.issued.find((issued) => issued.accessKeyId === result.key)?.expiration);
    expectVerified(result);
  });

  it('reads the credentials file update writes', async () => {
    const path = scenario.workspace.write('ruby-credentials', '');
    expect((await runCli(['update', '--once', ...keyFlags(), ...scenario.sessionFlags(), '--profile', 'ruby'], { env: { AWS_SHARED_CREDENTIALS_FILE: path } })).code).toBe(0);
    const result = await ruby({ AWS_SHARED_CREDENTIALS_FILE: path, AWS_PROFILE: 'ruby' });
    expect(result).toMatchObject({ provider: 'Aws::SharedCredentials', key: scenario.emulator.issued.at(-1)!.accessKeyId });
    expectVerified(result);
  });
});
