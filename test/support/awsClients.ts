import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
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
