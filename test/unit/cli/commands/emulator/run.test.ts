import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { RunningEmulator } from '../../../../../src/emulator/emulator.js';
import { rolesAnywhereSession } from '../../../../../src/credentials/rolesAnywhereSession.js';
import type { CommandContext } from '../../../../../src/cli/command.js';
import { testContext } from '../../../../support/context.js';
import { Scenario, type LeafFiles } from '../../../../support/scenario.js';

// The command in this process: its emulator captured as it starts, and its signal ours to give.
const started = vi.hoisted(() => ({ emulator: undefined as RunningEmulator | undefined, stop: (_signal: string) => {} }));
vi.mock('../../../../../src/emulator/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../../src/emulator/index.js')>();
  const startEmulator = async (...args: Parameters<typeof real.startEmulator>) => (started.emulator = await real.startEmulator(...(args as [never, never])));
  return { ...real, startEmulator };
});
vi.mock('../../../../../src/cli/signals.js', () => ({ untilSignal: () => new Promise((resolve) => (started.stop = resolve)) }));
vi.mock('../../../../../src/stdio.js', async (importOriginal) => ({ ...(await importOriginal<object>()), writeOut: () => {} }));

let scenario: Scenario;
let leaf: LeafFiles;
beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('endless load');
});
afterAll(async () => scenario.stop());

it('the emulator command keeps no records of what it answered or refused, which nothing reads and a run of days filled memory with (2 KB a session), and still logs each request once', async () => {
  const { run } = await import('../../../../../src/cli/commands/emulator/run.js');
  const logged: string[] = [];
  const logger = { debug: (m: string) => logged.push(`debug: ${m}`), info: (m: string) => logged.push(`info: ${m}`), warn: () => {}, error: () => {} };
  const flags = { 'trust-anchor-certificate': `${scenario.workspace.dir}/root.pem`, port: 0, host: '127.0.0.1', 'credential-lifetime': 0 };
  const running = run(flags as Parameters<typeof run>[0], { logger, naming: undefined } as unknown as CommandContext);
  await vi.waitFor(() => expect(started.emulator).toBeDefined());
  const emulator = started.emulator!;
  const arns = { trustAnchorArn: emulator.trustAnchors[0]!.arn, profileArn: emulator.profiles[0]!.arn, roleArn: emulator.profiles[0]!.roleArns[0]! };
  const session = rolesAnywhereSession({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...arns, endpoint: emulator.url, version: 'test' }, testContext());
  const sessions = 100;
  for (let i = 0; i < sessions; i++) {
    const credentials = await session.getCredentials({ forceRefresh: true });
    const sts = new STSClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 });
    await sts.send(new GetCallerIdentityCommand({}));
    await sts.send(new GetCallerIdentityCommand({}));
    await new STSClient({ region: 'us-east-1', endpoint: emulator.url, credentials: { ...credentials, sessionToken: 'x' }, maxAttempts: 1 }).send(new GetCallerIdentityCommand({})).catch(() => {});
  }
  // Answered and refused requests at once: each logged, once, as it ended (a refusal is told by its answer, not
  // by the records, which the command keeps none of).
  const credentials = await session.getCredentials({ forceRefresh: true });
  const caller = (sessionToken: string) => new STSClient({ region: 'us-east-1', endpoint: emulator.url, credentials: { ...credentials, sessionToken }, maxAttempts: 1 });
  await Promise.all(Array.from({ length: 20 }, () => [caller(credentials.sessionToken!).send(new GetCallerIdentityCommand({})), caller('x').send(new GetCallerIdentityCommand({})).catch(() => {})]).flat());
  await session.close();
  expect([emulator.issued.length, emulator.stsCalls.length, emulator.assumedRoles.length, emulator.rejections.length]).toEqual([0, 0, 0, 0]);
  expect(logged.filter((line) => line.startsWith('debug: POST /sessions answered 201'))).toHaveLength(sessions + 1);
  expect(logged.filter((line) => line.startsWith('debug: POST / answered 200'))).toHaveLength(2 * sessions + 20);
  expect(logged.filter((line) => line.startsWith('info: GetCallerIdentity refused: 403 InvalidClientTokenId'))).toHaveLength(sessions + 20);
  expect(logged.filter((line) => !line.includes('emulator listening on'))).toHaveLength(4 * sessions + 41);
  started.stop('SIGTERM');
  await running;
});
