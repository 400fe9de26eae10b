import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLine, runCli } from '../support/cli.js';
import { hanging } from '../support/fakeEndpoints.js';
import { ARNS, Scenario, type LeafFiles } from '../support/scenario.js';

// What an adversarial review found (issue 13, items 11-12): a signed request sent elsewhere, secrets on stderr.
let scenario: Scenario;
let leaf: LeafFiles;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('security', { keyAlgorithm: 'ec-p256' });
});
afterAll(async () => scenario.stop());

const keyFlags = () => ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];
const arnFlags = () => ['--trust-anchor-arn', ARNS.trustAnchorArn, '--profile-arn', ARNS.profileArn, '--role-arn', ARNS.roleArn];

describe('the region never sends the signed request to another host (item 11)', () => {
  it('--region x@127.0.0.1:PORT/ is refused, and nothing connects there', async () => {
    const elsewhere = await hanging();
    try {
      const region = `x@${new URL(elsewhere.url).host}/`;
      const result = await runCli(['credential-process', ...keyFlags(), ...arnFlags(), '--region', region], { env: { AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 20_000 });
      expect(result.stdout).toBe('');
      expect(result.code).toBe(1);
      expect(errorLine(result)).toBe(`invalid region "${region}": a region is 1 to 63 lower-case letters, digits and inner hyphens (e.g. us-east-1)`);
      expect(elsewhere.hits()).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });
});
