import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type * as EmulatorModule from '../../src/emulator/index.js';
import { projectRoot } from '../support/cli.js';

type Emulator = typeof EmulatorModule;

/** `roles-anywhere-helper/emulator` as users load it: the built bundles, CommonJS and its ES module face. */
const faces: [string, () => Promise<Emulator>][] = [
  ['require', async () => createRequire(import.meta.url)(join(projectRoot, 'dist/emulator.cjs')) as Emulator],
  ['import', async () => (await import(join(projectRoot, 'dist/emulator.mjs'))) as Emulator],
];

const ROLE = 'arn:aws:iam::123456789012:role/workload';

describe.each(faces)('startEmulator from the package (%s) refuses what the QA pass found it took', (_face, load) => {
  it.each<[string, () => unknown, string]>([
    ['trustAnchor for trustAnchors', () => ({ trustAnchor: [] }), 'unknown key trustAnchor (did you mean trustAnchors?)'],
    ['roleArns as one string', () => ({ profiles: [{ roleArns: ROLE }] }), 'profiles[0].roleArns must be a list'],
    ['maxDurationSeconds: 5', () => ({ profiles: [{ roleArns: [ROLE], maxDurationSeconds: 5 }] }), 'profiles[0].maxDurationSeconds must be an integer from 900 to 43200'],
    ['credentialLifetimeSeconds: -5', () => ({ credentialLifetimeSeconds: -5 }), 'credentialLifetimeSeconds must be an integer from 1 to 43200'],
    ["the config file's durationSeconds", () => ({ profiles: [{ roleArns: [ROLE], durationSeconds: 3600 }] }),
      'unknown key profiles[0].durationSeconds (did you mean maxDurationSeconds?)'],
  ])('%s', async (_name, options, message) => {
    const { startEmulator, EmulatorSetupError } = await load();
    const outcome: unknown = await startEmulator(options() as EmulatorModule.EmulatorOptions).then(
      async (emulator) => {
        await emulator.close();
        return 'started';
      },
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(EmulatorSetupError);
    expect(outcome).toMatchObject({ name: 'EmulatorSetupError', message });
    expect(String(outcome)).toBe(`EmulatorSetupError: ${message}`);
  });
});

it('left uncaught, a refusal shows with a short line of the bundle, not 22 kB of minified code before it (QA)', async () => {
  const code = "import('./dist/emulator.mjs').then(({ startEmulator }) => startEmulator({ trustAnchor: [] }))";
  const failed = await promisify(execFile)(process.execPath, ['-e', code], { cwd: projectRoot }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  expect(failed.code).toBe(1);
  // By its own name, not the minifier's (`x [EmulatorSetupError]: …`).
  expect(failed.stderr).toMatch(/^EmulatorSetupError: unknown key trustAnchor \(did you mean trustAnchors\?\)$/m);
  // esbuild's lineLimit (500) breaks lines where it can, a little past it.
  expect(failed.stderr.split('\n').every((line) => line.length <= 1000)).toBe(true);
});

it('making and checking certificates adds nothing to the global Reflect, and works where it is frozen (its X.509 code needs no metadata functions)', async () => {
  const run = (code: string, options: string[] = []) => promisify(execFile)(process.execPath, [...options, '-e', code], { cwd: projectRoot }).then(({ stdout }) => stdout);
  const makeCa = "const { CertificateAuthority } = require('./dist/emulator.cjs'); CertificateAuthority.create({ subject: 'CN=Test' }).then((ca) => ca.issue({ subject: 'CN=leaf' }))";
  expect(await run(`${makeCa}.then(() => console.log(typeof Reflect.getMetadata, typeof Reflect.getOwnMetadata, typeof Reflect.metadata))`)).toBe('undefined undefined undefined\n');
  expect(await run(`${makeCa}.then((leaf) => console.log(leaf.der.length > 0))`, ['--frozen-intrinsics', '--no-warnings'])).toBe('true\n');
});

describe('startEmulator on an IPv6 address', () => {
  it('gives a URL with the address in brackets, which clients reach', async () => {
    const { startEmulator } = (await import(join(projectRoot, 'dist/emulator.mjs'))) as Emulator;
    const emulator = await startEmulator({ host: '::1' });
    try {
      expect(emulator.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await fetch(`${emulator.url}/no-such-path`)).status).toBe(501);
    } finally {
      await emulator.close();
    }
  });

  it.each([
    ['0.0.0.0', 'http://127.0.0.1:'],
    ['::', 'http://[::1]:'],
    ['::ffff:127.0.0.1', 'http://127.0.0.1:'],
    // The same addresses spelt otherwise (QA: printed as given, http://[0:0:0:0:0:0:0:0]:PORT).
    ['0:0:0:0:0:0:0:0', 'http://[::1]:'],
    ['::ffff:7f00:1', 'http://127.0.0.1:'],
    ['0:0:0:0:0:0:0:1', 'http://[::1]:'],
  ])('on %s, gives a loopback URL, as serve prints one, which clients reach without a proxy (QA)', async (host, start) => {
    const { startEmulator } = (await import(join(projectRoot, 'dist/emulator.mjs'))) as Emulator;
    const emulator = await startEmulator({ host });
    try {
      expect(emulator.url.startsWith(start)).toBe(true);
      expect(emulator.url).toMatch(/:\d+$/);
      expect((await fetch(`${emulator.url}/no-such-path`)).status).toBe(501);
    } finally {
      await emulator.close();
    }
  });
});
