import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cleanEnv } from './cli.js';
import { ARNS, type Scenario } from './scenario.js';

/**
 * Runs `use` with these variables set in this process's environment (the JavaScript SDK's providers read
 * it there) and those of `unset` removed, then puts the environment back as it was.
 */
export async function withEnv<T>(variables: Record<string, string>, use: () => Promise<T>, unset: readonly string[] = []): Promise<T> {
  const names = [...Object.keys(variables), ...unset];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  Object.assign(process.env, variables);
  try {
    return await use();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** What botocore and the AWS CLI are run with: no configuration of the tester's, the scenario's emulator for STS. */
export function awsClientEnv(scenario: Scenario, variables: Record<string, string>): NodeJS.ProcessEnv {
  return cleanEnv({
    HOME: scenario.workspace.dir,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_STS: scenario.emulator.url,
    ...variables,
  });
}

/**
 * What the Ruby and Go SDK clients are run with: no configuration of the tester's, IMDS off unless asked for,
 * STS at the scenario's emulator (STS_ENDPOINT, which their scripts read).
 */
export function sdkClientEnv(scenario: Scenario, variables: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: scenario.workspace.dir,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    STS_ENDPOINT: scenario.emulator.url,
    ...variables,
  };
}

/** GetCallerIdentity with these credentials, checked against the emulator: the caller is the role, its signature verified. */
export async function expectVerifiedCaller(scenario: Scenario, credentials: AwsCredentialIdentityProvider, roleArn: string = ARNS.roleArn): Promise<void> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: scenario.emulator.url, credentials, maxAttempts: 1 });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::123456789012:assumed-role/${roleName}/`));
  expect(scenario.emulator.stsCalls.at(-1)).toMatchObject({ action: 'GetCallerIdentity', status: 200, callerArn: identity.Arn });
}

/**
 * Which newer settings the machine's botocore (python3's boto3) and AWS CLI read, asked of each once by what it does. setup.sh
 * installs Debian's python3-boto3 and awscli where python3 has no boto3 and there is no aws (a CI machine reaches no PyPI), and
 * Debian 12's (botocore 1.29.27, AWS CLI 2.9.19) read neither AWS_ENDPOINT_URL_STS nor AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
 * and that CLI knows no `rolesanywhere create-profile --accept-role-session-name`: the tests of those features of the clients
 * run where the clients have them. A client that does not run at all throws, failing the test file that asks.
 */
export interface ClientFeatures {
  /** AWS_ENDPOINT_URL_STS sends STS requests there. */
  readonly endpointVariable: boolean;
  /** AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is read for the container provider's token. */
  readonly tokenFile: boolean;
}

const probeEnv = () => ({ PATH: process.env.PATH, HOME: tmpdir(), AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_DEFAULT_REGION: 'us-east-1' });
/** An address nothing listens on: a client sending there fails at once, naming it. */
const NOWHERE = 'http://127.0.0.1:1';
let botocore: ClientFeatures | undefined;
type AwsCliFeatures = ClientFeatures & {
  readonly acceptRoleSessionName: boolean;
  /** `aws rolesanywhere put-attribute-mapping` and `put-notification-settings` exist (AWS CLI 2.9.19 has neither). */
  readonly mappingsAndNotifications: boolean;
};
let awsCli: AwsCliFeatures | undefined;

export function botocoreFeatures(): ClientFeatures {
  const probe = [
    'import json, os, boto3, botocore.credentials',
    `os.environ["AWS_ENDPOINT_URL_STS"] = "${NOWHERE}"`,
    'sts = boto3.client("sts", aws_access_key_id="a", aws_secret_access_key="b")',
    `print(json.dumps({"endpointVariable": sts.meta.endpoint_url == "${NOWHERE}", "tokenFile": hasattr(botocore.credentials.ContainerProvider, "ENV_VAR_AUTH_TOKEN_FILE")}))`,
  ].join('\n');
  botocore ??= JSON.parse(execFileSync('python3', ['-c', probe], { env: probeEnv(), encoding: 'utf8' })) as ClientFeatures;
  return botocore;
}

export function awsCliFeatures(): AwsCliFeatures {
  if (awsCli) return awsCli;
  const stderrOf = (variables: Record<string, string>) => {
    const result = spawnSync('aws', ['sts', 'get-caller-identity', '--cli-connect-timeout', '5'], {
      env: { ...probeEnv(), AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true', ...variables }, encoding: 'utf8', timeout: 60_000,
    });
    if (result.error) throw result.error;
    return result.stderr;
  };
  const missingToken = join(tmpdir(), 'rah-no-such-token-file');
  awsCli = {
    endpointVariable: stderrOf({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_ENDPOINT_URL_STS: NOWHERE }).includes(NOWHERE),
    // One that reads it fails on the missing file; one that does not asks the URL for credentials without a token.
    tokenFile: stderrOf({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${NOWHERE}/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: missingToken }).includes(missingToken),
    acceptRoleSessionName: execFileSync('aws', ['rolesanywhere', 'create-profile', '--generate-cli-skeleton'], { env: probeEnv(), encoding: 'utf8' }).includes('"acceptRoleSessionName"'),
    mappingsAndNotifications: ['put-attribute-mapping', 'put-notification-settings'].every(
      (operation) => spawnSync('aws', ['rolesanywhere', operation, '--generate-cli-skeleton'], { env: probeEnv(), encoding: 'utf8' }).status === 0,
    ),
  };
  return awsCli;
}
