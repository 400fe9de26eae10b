import { fromProcess } from '@aws-sdk/credential-providers';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../support/cli.js';
import { ARNS, Scenario, type LeafFiles } from '../support/scenario.js';

let scenario: Scenario;
let leaf: LeafFiles;
let configPath: string;
let credentialsPath: string;

/** An AWS config file whose profile runs our CLI as its credential_process (paths quoted, as AWS advises). */
function configFile(profile: string, extraArgs = ''): string {
  const command = [
    `"${process.execPath}"`,
    `"${cliPath}"`,
    'credential-process',
    `--certificate "${leaf.certPath}"`,
    `--private-key "${leaf.keyPath}"`,
    `--trust-anchor-arn ${ARNS.trustAnchorArn}`,
    `--profile-arn ${ARNS.profileArn}`,
    `--role-arn ${ARNS.roleArn}`,
    `--endpoint ${scenario.emulator.url}`,
    extraArgs,
  ].join(' ');
  return `[profile ${profile}]\ncredential_process = ${command.trim()}\nregion = us-east-1\n`;
}

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('sdk client');
  configPath = scenario.workspace.write('config', configFile('roles-anywhere', '--session-duration 1800'));
  credentialsPath = scenario.workspace.write('credentials', '');
});
afterAll(async () => scenario.stop());

describe('AWS SDKs running credential-process', () => {
  it('the AWS SDK for JavaScript v3 fromProcess() gets the credentials the emulator issued', async () => {
    const provider = fromProcess({ profile: 'roles-anywhere', configFilepath: configPath, filepath: credentialsPath });
    const credentials = await provider();
    const issued = scenario.emulator.issued.at(-1)!;
    expect(credentials.accessKeyId).toBe(issued.accessKeyId);
    expect(credentials.secretAccessKey).toBe(issued.secretAccessKey);
    expect(credentials.sessionToken).toBe(issued.sessionToken);
    expect(credentials.expiration?.toISOString().replace('.000Z', 'Z')).toBe(issued.expiration);
    // Read from AccountId, which the reference leaves out: clients with accountIdEndpointMode 'required' (DynamoDB's) need it.
    expect(credentials.accountId).toBe('123456789012');
    expect(issued.durationSeconds).toBe(1800);
  });

  it('botocore (boto3) gets them too', async () => {
    const script = [
      'import boto3',
      'c = boto3.Session(profile_name="roles-anywhere").get_credentials().get_frozen_credentials()',
      'print(c.access_key)',
    ].join('\n');
    const { stdout } = await promisify(execFile)('python3', ['-c', script], {
      env: { PATH: process.env.PATH, HOME: scenario.workspace.dir, AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: credentialsPath },
    });
    expect(stdout.trim()).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
  });
});
