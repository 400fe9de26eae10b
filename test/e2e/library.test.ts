import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { fromRolesAnywhere as FromRolesAnywhere, SdkHandlerRequest, RolesAnywhereProviderOptions } from '../../src/index.js';
import { generateKey, pkcs8Pem } from '../../src/emulator/pki/generateKey.js';
import { withEnv } from '../support/awsClients.js';
import { cleanEnv, projectRoot, runCli } from '../support/cli.js';
import { hanging, relaying } from '../support/fakeEndpoints.js';
import { expectValidPastHeldExpiry } from '../support/fakeClock.js';
import { shWord } from '../support/shWord.js';
import { typeOnTerminal } from '../support/terminal.js';
import { ARNS, Scenario, openssl, type LeafFiles } from '../support/scenario.js';

/** The library as users load it: the built CommonJS bundle (the ES module face is tested below). */
const { fromRolesAnywhere } = createRequire(import.meta.url)(join(projectRoot, 'dist/index.cjs')) as { fromRolesAnywhere: typeof FromRolesAnywhere };

let scenario: Scenario;
let leaf: LeafFiles;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('library');
});
afterAll(async () => scenario.stop());

const sessionOptions = () => ({ trustAnchorArn: ARNS.trustAnchorArn, profileArn: ARNS.profileArn, roleArn: ARNS.roleArn, endpoint: scenario.emulator.url });

describe('fromRolesAnywhere', () => {
  it('gives the credentials the emulator issued, with their expiry and account', async () => {
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions() });
    const identity = await provider();
    const issued = scenario.emulator.issued.at(-1)!;
    expect(identity).toEqual({
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiration: new Date(issued.expiration),
      accountId: '123456789012',
    });
    expect(Object.keys(identity)).not.toContain('$source');
    await provider.close();
  });

  it('takes the certificate, key and chain as content: PEM strings, and DER or PEM Buffers', async () => {
    const intermediate = await scenario.ca.issueIntermediate({ subject: 'CN=Library Intermediate' });
    const chained = await scenario.leaf('library-chained', {}, intermediate);
    const pemKey = readFileSync(chained.keyPath, 'utf8');
    const before = scenario.emulator.issued.length;
    for (const [certificate, privateKey] of [
      [chained.certificate.pem, pemKey],
      [chained.certificate.der, openssl(['pkey', '-outform', 'DER'], pemKey)],
      [Buffer.from(chained.certificate.pem), Buffer.from(pemKey)],
    ] as const) {
      const provider = fromRolesAnywhere({ certificate, privateKey, intermediates: intermediate.certificate.pem, ...sessionOptions() });
      expect((await provider()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
    }
    expect(scenario.emulator.issued.length).toBe(before + 3);
  });

  it('makes one CreateSession for 50 callers at once, and reuses the credentials after', async () => {
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions() });
    const before = scenario.emulator.issued.length;
    const identities = await Promise.all(Array.from({ length: 50 }, () => provider()));
    expect(new Set(identities.map((identity) => identity.accessKeyId)).size).toBe(1);
    await provider();
    expect(scenario.emulator.issued.length).toBe(before + 1);
  });

  it('without endpoint, sends CreateSession to AWS_ENDPOINT_URL_ROLESANYWHERE, else AWS_ENDPOINT_URL (as its doc comment says)', async () => {
    const { endpoint: _, ...options } = sessionOptions();
    const settings: Record<string, string>[] = [{ AWS_ENDPOINT_URL_ROLESANYWHERE: scenario.emulator.url, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, { AWS_ENDPOINT_URL: scenario.emulator.url }];
    for (const variables of settings) {
      await withEnv(variables, async () => {
        const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...options });
        expect((await provider()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
        await provider.close();
      }, ['AWS_ENDPOINT_URL_ROLESANYWHERE', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']);
    }
  });

  it("warns on its logger of an AWS_CONFIG_FILE whose path Node cannot name, as the CLI does, and gets the credentials all the same (review)", async () => {
    const path = join(tmpdir(), 'caf\uFFFD', 'config');
    await withEnv({ AWS_CONFIG_FILE: path }, async () => {
      const warnings: string[] = [];
      const logger = { debug: () => {}, info: () => {}, warn: (line: string) => warnings.push(line), error: () => {} };
      const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), logger });
      expect((await provider()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
      expect(warnings).toEqual([
        `fromRolesAnywhere: the shared config file ${path} (AWS_CONFIG_FILE) is not read: its path holds bytes that are not UTF-8 (shown as \uFFFD), which Node.js cannot name`,
      ]);
    });
  });

  it('refreshes credentials before they expire, and keeps the last good ones while refreshing fails', async () => {
    const shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 6 });
    const front = await relaying(shortLived.url);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // One attempt per refresh, so that a failing one takes no time off the margins below.
    process.env.AWS_MAX_ATTEMPTS = '1';
    try {
      const warnings: string[] = [];
      const logger = { debug: () => {}, info: () => {}, warn: (line: string) => warnings.push(line), error: () => {} };
      const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), endpoint: front.url, logger });
      const first = await provider();
      await sleep(3_200); // past half their life: due for a refresh
      const second = await provider();
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
      expect(shortLived.issued.length).toBe(2);

      front.mode = 'fail';
      await sleep(3_200); // due again, and the endpoint fails: the last good ones, ~3 s from expiry, are kept
      expect((await provider()).accessKeyId).toBe(second.accessKeyId);
      // The failure, said once, as the SDK's instance-metadata provider says its own.
      expect(warnings).toEqual([expect.stringMatching(/^fromRolesAnywhere: refreshing the credentials failed, the held ones are used while valid \(tried again at a call after \d+ s\): .*500/)]);
      await sleep(second.expiration.getTime() - Date.now() + 200); // now expired, and the endpoint still fails
      await expect(provider()).rejects.toMatchObject({ name: 'CredentialsProviderError', tryNextLink: false });
      expect(warnings).toHaveLength(1); // none held any more: the caller is told, and nothing is said to be used
      front.mode = 'forward';
      await sleep(2_100); // past the retry delay (at most 2 s after two failures)
      expect((await provider()).expiration.getTime()).toBeGreaterThan(Date.now());
    } finally {
      delete process.env.AWS_MAX_ATTEMPTS;
      await front.close();
    }
  });

  it('close() stops a refresh under way to an endpoint that does not answer: the process exits at once, and nothing is logged after (QA: 30 s, a warning after close)', async () => {
    const shortLived = await scenario.otherEmulator({ credentialLifetimeSeconds: 200 });
    const front = await relaying(shortLived.url);
    const script = `
      // A clock the test moves on (the library takes Date.now as it loads).
      const realNow = Date.now;
      let ahead = 0;
      Date.now = () => realNow() + ahead;
      const { fromRolesAnywhere } = require(${JSON.stringify(join(projectRoot, 'dist/index.cjs'))});
      const logger = { debug() {}, info() {}, warn: (line) => console.error('WARN', line), error: (line) => console.error('ERROR', line) };
      const options = ${JSON.stringify({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), endpoint: front.url })};
      (async () => {
        const provider = fromRolesAnywhere({ ...options, logger });
        const first = await provider();
        console.log('first');
        await new Promise((resolve) => setTimeout(resolve, 200));
        // 101 s on, past half their life: a call hands them out and refreshes in the background.
        ahead = 101_000;
        if ((await provider()).accessKeyId !== first.accessKeyId) throw new Error('not the held credentials');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await provider.close();
        const closed = realNow();
        process.on('exit', () => console.log('exited ' + (realNow() - closed)));
      })();
    `;
    const child = spawn(process.execPath, ['-e', script], { env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.startsWith('first')) front.mode = 'hang';
    });
    try {
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(front.hits()).toBe(2);
      expect(Number(/exited (\d+)/.exec(stdout)?.[1])).toBeLessThan(1_000);
    } finally {
      child.kill();
      await front.close();
    }
  }, 45_000);

  it("reads the shared config file's profile, as the CLI and the application's SDK clients do (QA)", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-library-config-'));
    const config = join(folder, 'config');
    writeFileSync(config, `[profile work]\nservices = local\nmax_attempts = 1\n[services local]\nrolesanywhere =\n  endpoint_url = ${scenario.emulator.url}\n`);
    const { endpoint: _public, ...withoutEndpoint } = sessionOptions();
    const before = scenario.emulator.issued.length;
    Object.assign(process.env, { AWS_CONFIG_FILE: config, AWS_PROFILE: 'work' });
    try {
      const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...withoutEndpoint });
      expect((await provider()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
      expect(scenario.emulator.issued.length).toBe(before + 1);
      // The option still wins over the file, as --endpoint does.
      const elsewhere = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...withoutEndpoint, endpoint: 'http://127.0.0.1:1' });
      await expect(elsewhere()).rejects.toMatchObject({ name: 'CredentialsProviderError', message: expect.stringContaining('127.0.0.1:1') });
    } finally {
      delete process.env.AWS_CONFIG_FILE;
      delete process.env.AWS_PROFILE;
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('tries a set-up that failed again at the next call: a CA bundle written after the application started (QA17: not tested)', async () => {
    const identity = await scenario.ca.issue({ subject: 'CN=127.0.0.1', keyAlgorithm: 'ec-p256', subjectAltNames: { ip: ['127.0.0.1'] } });
    const https = await scenario.otherEmulator({ tls: { certificate: identity.pem, privateKey: pkcs8Pem(identity.key!) } });
    const folder = mkdtempSync(join(tmpdir(), 'rah-library-later-'));
    const bundle = join(folder, 'ca.pem');
    process.env.AWS_CA_BUNDLE = bundle;
    try {
      const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), endpoint: https.url });
      await expect(provider()).rejects.toMatchObject({ name: 'CredentialsProviderError', message: expect.stringContaining(bundle) });
      writeFileSync(bundle, scenario.ca.certificate.pem);
      expect((await provider()).accessKeyId).toBe(https.issued.at(-1)!.accessKeyId);
      await provider.close();
    } finally {
      delete process.env.AWS_CA_BUNDLE;
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("sends CreateSession and STS through a requestHandler given, its agent's CAs trusted (field notes: the provider takes requestHandler)", async () => {
    const identity = await scenario.ca.issue({ subject: 'CN=127.0.0.1', keyAlgorithm: 'ec-p256', subjectAltNames: { ip: ['127.0.0.1'] } });
    const deploy = 'arn:aws:iam::210987654321:role/deploy';
    const https = await scenario.otherEmulator({ tls: { certificate: identity.pem, privateKey: pkcs8Pem(identity.key!) }, assumableRoles: [{ roleArn: deploy }] });
    const inner = new NodeHttpHandler({ httpsAgent: new Agent({ ca: scenario.ca.certificate.pem }) });
    const sent: string[] = [];
    const requestHandler = { handle: (request: SdkHandlerRequest, options?: Parameters<typeof inner.handle>[1]) => (sent.push(`${request.method} ${request.path}`), inner.handle(request as never, options)) };
    const options = { certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), endpoint: https.url, assumeRoleArn: deploy, stsEndpoint: https.url };
    // The variables the helper's own client reads are not (review: a SOCKS proxy, an agent's reason to be, stopped it).
    Object.assign(process.env, { HTTPS_PROXY: 'socks5://proxy.invalid:1080', AWS_CA_BUNDLE: '/nonexistent/ca.pem' });
    try {
      const provider = fromRolesAnywhere({ ...options, requestHandler });
      expect((await provider()).accessKeyId).toBe(https.assumedRoles.at(-1)!.accessKeyId);
      expect(sent).toEqual(['POST /sessions', 'POST /']);
      await provider.close();
    } finally {
      delete process.env.HTTPS_PROXY;
      delete process.env.AWS_CA_BUNDLE;
    }
    // The helper's own client does not trust that CA (no AWS_CA_BUNDLE): the handler's agent did.
    await expect(fromRolesAnywhere(options)()).rejects.toMatchObject({ message: expect.stringContaining('unable to verify the first certificate') });
    // A NodeHttpHandler is taken as it is, as SDK clients take it (the type says so too).
    const typed: RolesAnywhereProviderOptions = { ...options, requestHandler: inner };
    expect(typed.requestHandler).toBe(inner);
  });

  it('stops a request under way through a requestHandler at close(), and refuses a requestHandler that is none, or with verifyTls false', async () => {
    const silent = await hanging();
    try {
      const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), endpoint: silent.url, requestHandler: new NodeHttpHandler() });
      const pending = provider();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await provider.close();
      await expect(pending).rejects.toMatchObject({ message: expect.stringMatching(/: stopped waiting for the response: the session was closed$/) });
    } finally {
      await silent.close();
    }
    expect(() => fromRolesAnywhere({ ...sessionOptions(), requestHandler: {} as never })).toThrow(
      "fromRolesAnywhere: invalid requestHandler: it must be an AWS SDK request handler, with a handle method (new NodeHttpHandler({ httpsAgent }) of '@smithy/node-http-handler')",
    );
    const insecure = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), verifyTls: false, requestHandler: new NodeHttpHandler() });
    await expect(insecure()).rejects.toMatchObject({
      message: 'fromRolesAnywhere: verifyTls false does not reach a request handler, whose agent verifies TLS: give it one with rejectUnauthorized: false',
    });
  });

  it("refuses a value out of range at the first call, not at once, with the package's CredentialsProviderError: its name holds, instanceof the application's copy does not (as the doc comment says)", async () => {
    const { CredentialsProviderError } = await import('@smithy/core/config');
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), durationSeconds: 100 });
    const error: unknown = await provider().catch((failure: unknown) => failure);
    expect(error).toMatchObject({ name: 'CredentialsProviderError', tryNextLink: false, message: expect.stringMatching(/^fromRolesAnywhere: invalid durationSeconds 100: /) });
    expect(error).not.toBeInstanceOf(CredentialsProviderError);
  });

  it('refuses an unknown option, naming it and the option meant', () => {
    const options = { certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), roleSesionName: 'x' };
    expect(() => fromRolesAnywhere(options)).toThrow('fromRolesAnywhere: unknown option roleSesionName (did you mean roleSessionName?)');
    // Names Object.prototype has are unknown options too (a JSON config file may hold `__proto__`).
    for (const [name, extra] of [['toString', { toString: 'x' }], ['constructor', { constructor: 'x' }], ['__proto__', JSON.parse('{"__proto__": {}}')]] as const) {
      expect(() => fromRolesAnywhere({ ...sessionOptions(), ...extra })).toThrow(`fromRolesAnywhere: unknown option ${name}`);
    }
    expect(() => fromRolesAnywhere({ ...sessionOptions(), durationSeconds: '900' as unknown as number })).toThrow(
      'fromRolesAnywhere: invalid durationSeconds: it must be a number',
    );
    // A logger that is the option at fault is not used to report it.
    expect(() => fromRolesAnywhere({ ...sessionOptions(), logger: { debug: true } as never })).toThrow(
      expect.objectContaining({ name: 'CredentialsProviderError', message: 'fromRolesAnywhere: invalid logger: it must have debug, info, warn and error methods' }),
    );
    const badConfig = 'fromRolesAnywhere: invalid parentClientConfig: it must be an object whose region, if any, is a string or a function and whose logger, if any, has debug, info, warn and error methods';
    for (const parentClientConfig of ['eu-west-1', [], { region: 5 }, { logger: { debug: () => {} } }]) {
      expect(() => fromRolesAnywhere({ ...sessionOptions(), parentClientConfig: parentClientConfig as never })).toThrow(badConfig);
    }
    expect(() => fromRolesAnywhere(undefined as never)).toThrow(expect.objectContaining({ name: 'CredentialsProviderError', message: 'fromRolesAnywhere: it needs an options object' }));
  });

  it('refuses a key, a pkcs11: URI with its PIN, or a URL with user info given to an option that takes none (options swapped), not quoting the secret in the error or its properties (QA: quoted whole)', async () => {
    const { inspect } = await import('node:util');
    const keyPem = readFileSync(leaf.keyPath, 'utf8');
    const body = keyPem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
    const pin = 'pkcs11:token=t;object=k?pin-value=S3cretPIN9';
    const keyRefused = '(PEM or base64 content, not shown): a key or certificate is given as certificate, privateKey or intermediates';
    const chained = { assumeRoleArn: 'arn:aws:iam::123456789012:role/d' };
    const cases: [Partial<RolesAnywhereProviderOptions>, string][] = [
      [{ roleArn: keyPem }, `invalid roleArn ${keyRefused}`],
      [{ region: body }, `invalid region ${keyRefused}`],
      [{ roleSessionName: body }, `invalid roleSessionName ${keyRefused}`],
      [{ ...chained, assumeRoleTags: { [body]: 'v' } }, `invalid assumeRoleTags ${keyRefused}`],
      [{ fallbacks: [{ trustAnchorArn: keyPem, profileArn: ARNS.profileArn }] }, `invalid fallbacks[0].trustAnchorArn ${keyRefused}`],
      [{ trustAnchorArn: pin }, 'invalid trustAnchorArn "pkcs11:token=t;object=k?pin-value=***": a pkcs11: URI is given as certificate or privateKey'],
      [{ ...chained, externalId: pin }, 'invalid externalId "pkcs11:token=t;object=k?pin-value=***": a pkcs11: URI is given as certificate or privateKey'],
      [{ ...chained, assumeRoleTransitiveTagKeys: [pin] }, 'invalid assumeRoleTransitiveTagKeys[0] "pkcs11:token=t;object=k?pin-value=***": a pkcs11: URI is given as certificate or privateKey'],
      [{ profileArn: 'https://u:S3cretPIN9@host/' }, 'invalid profileArn "https://***@host/": it is a URL with a user name or password'],
    ];
    for (const [swapped, message] of cases) {
      let thrown: unknown;
      try {
        fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), ...swapped });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ name: 'CredentialsProviderError', message: `fromRolesAnywhere: ${message}` });
      // As a logger may record it: the error whole, its cause and properties with it.
      expect(inspect(thrown, { depth: Infinity, showHidden: true }) + JSON.stringify(thrown)).not.toMatch(new RegExp(`S3cretPIN9|${body.slice(20, 50).replace(/[+/]/g, '.')}`));
    }
    // Base64 as long as an external ID or a session name may be is one.
    expect(() => fromRolesAnywhere({ ...sessionOptions(), ...chained, externalId: 'A'.repeat(100), roleSessionName: 'B'.repeat(64) })).not.toThrow();
  });

  it('left uncaught, the refusal shows with a short line of the bundle, not 12 kB of minified code before it (docs QA)', async () => {
    const code = "require('./dist/index.cjs').fromRolesAnywhere({ trustAnchorArn: 'a', profileArn: 'b', roleArn: 'c', roleSesionName: 'x' })";
    const failed = await promisify(execFile)(process.execPath, ['-e', code], { cwd: projectRoot }).catch((error: { stderr: string }) => error);
    expect(failed.stderr).toContain('CredentialsProviderError: fromRolesAnywhere: unknown option roleSesionName (did you mean roleSessionName?)');
    expect(failed.stderr.split('\n').every((line) => line.length <= 600)).toBe(true);
  });

  it('reports a bad value by its option name, as a CredentialsProviderError that stops a chain', async () => {
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), durationSeconds: 100 });
    await expect(provider()).rejects.toMatchObject({
      name: 'CredentialsProviderError',
      tryNextLink: false,
      message: 'fromRolesAnywhere: invalid durationSeconds 100: it must be a whole number of seconds between 900 and 43200',
    });
    const fractional = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), durationSeconds: 3600.5 });
    await expect(fractional()).rejects.toMatchObject({
      message: 'fromRolesAnywhere: invalid durationSeconds 3600.5: it must be a whole number of seconds between 900 and 43200',
    });
  });

  it("gives a service's refusal as the SDK's exceptions do, in the error's cause: $metadata, $fault and the code (QA: only a message to parse)", async () => {
    const denied = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), roleArn: 'arn:aws:iam::123456789012:role/not-in-the-profile' });
    const refusal = (await denied().catch((error: unknown) => error)) as Error & { cause: Record<string, unknown> };
    expect(refusal).toMatchObject({ name: 'CredentialsProviderError', tryNextLink: false });
    expect(refusal.cause).toMatchObject({
      $metadata: { httpStatusCode: 403, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      $fault: 'client',
      code: 'AccessDeniedException',
      name: 'AccessDeniedException',
    });
    // No answer, no $metadata: the network, not the service.
    const unreachable = (await fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), endpoint: 'http://127.0.0.1:1' })().catch(
      (error: unknown) => error,
    )) as { cause: Record<string, unknown> };
    expect(unreachable.cause.$metadata).toBeUndefined();
    expect(unreachable.cause.code).toBeUndefined();
  });

  it('names an expired certificate given as content once (QA: "certificate certificate (content)")', async () => {
    const expired = await scenario.leaf('library-expired', { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-01-01T00:00:00Z') });
    const provider = fromRolesAnywhere({ certificate: readFileSync(expired.certPath, 'utf8'), privateKey: expired.keyPath, ...sessionOptions() });
    await expect(provider()).rejects.toMatchObject({ message: expect.stringMatching(/^fromRolesAnywhere: certificate \(content\) expired at 2025-01-01T00:00:00Z, and this machine's clock reads \d{4}-\d\d-\d\dT[\d:]{8}Z$/) });
  });

  it('names a key given as content without a certificate once (QA: "privateKey privateKey (content)")', async () => {
    const provider = fromRolesAnywhere({ privateKey: readFileSync(leaf.keyPath, 'utf8'), ...sessionOptions() });
    await expect(provider()).rejects.toMatchObject({ message: 'fromRolesAnywhere: undefined certificate value: privateKey needs certificate' });
  });

  it('takes an empty privateKey (an unset variable) as none given, as the CLI takes --private-key ""', async () => {
    for (const privateKey of [undefined, '']) {
      const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey, ...sessionOptions() });
      await expect(provider()).rejects.toMatchObject({
        message: `fromRolesAnywhere: unable to parse private key: ${leaf.certPath} holds no private key; give the key with privateKey`,
      });
    }
  });

  it('never asks for a password: a missing one names the option to set', async () => {
    const key = generateKey('ec-p256');
    const issued = await scenario.ca.issue({ subject: 'CN=encrypted', publicKey: key.spki });
    const encrypted = key.keyObject!.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }) as string;
    const provider = fromRolesAnywhere({ certificate: issued.pem, privateKey: encrypted, ...sessionOptions() });
    await expect(provider()).rejects.toThrow(
      'fromRolesAnywhere: unable to parse private key privateKey (content): the key is encrypted and no password was given (use pkcs8Password or AWS_ROLESANYWHERE_PKCS8_PASSWORD)',
    );
    const unlocked = fromRolesAnywhere({ certificate: issued.pem, privateKey: encrypted, pkcs8Password: 'right', ...sessionOptions() });
    expect((await unlocked()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
  });

  it('never asks for a password on a terminal either: a program run in one gets the error naming the option', async () => {
    const key = generateKey('ec-p256');
    const issued = await scenario.ca.issue({ subject: 'CN=encrypted-terminal', publicKey: key.spki });
    const encrypted = key.keyObject!.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }) as string;
    const options = JSON.stringify({ certificate: issued.pem, privateKey: encrypted, ...sessionOptions() });
    const program = `require(${JSON.stringify(join(projectRoot, 'dist/index.cjs'))}).fromRolesAnywhere(${options})()
      .then(() => console.log('credentials'), (e) => console.log(e.message));`;
    // Bounded: a prompt would wait for a password nobody types.
    const { code, output } = await typeOnTerminal(`timeout --foreground 10 ${shWord(process.execPath)} -e ${shWord(program)}`, []);
    expect(output).not.toContain('Please enter');
    expect(output.trim()).toBe(
      'fromRolesAnywhere: unable to parse private key privateKey (content): the key is encrypted and no password was given (use pkcs8Password or AWS_ROLESANYWHERE_PKCS8_PASSWORD)',
    );
    expect(code).toBe(0);
  });

  it('takes a password from the environment variable when the option is not given, as the CLI does', async () => {
    const key = generateKey('ec-p256');
    const issued = await scenario.ca.issue({ subject: 'CN=encrypted-env', publicKey: key.spki });
    const encrypted = key.keyObject!.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'from-env' }) as string;
    process.env.AWS_ROLESANYWHERE_PKCS8_PASSWORD = 'from-env';
    try {
      const provider = fromRolesAnywhere({ certificate: issued.pem, privateKey: encrypted, ...sessionOptions() });
      expect((await provider()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
      const wrongOption = fromRolesAnywhere({ certificate: issued.pem, privateKey: encrypted, pkcs8Password: 'wrong', ...sessionOptions() });
      await expect(wrongOption()).rejects.toThrow('wrong password for encrypted PKCS#8 key');
    } finally {
      delete process.env.AWS_ROLESANYWHERE_PKCS8_PASSWORD;
    }
  });

  it("takes an empty pkcs12Password for none given, as an empty pkcs8Password and the CLI's --pkcs12-password= are: the variable's is used (QA)", async () => {
    const p12 = scenario.workspace.write('library-env.p12', openssl(['pkcs12', '-export', '-in', leaf.certPath, '-inkey', leaf.keyPath, '-passout', 'pass:from-env']));
    process.env.AWS_ROLESANYWHERE_PKCS12_PASSWORD = 'from-env';
    try {
      for (const pkcs12Password of [undefined, '']) {
        const provider = fromRolesAnywhere({ certificate: p12, pkcs12Password, ...sessionOptions() });
        expect((await provider()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
      }
    } finally {
      delete process.env.AWS_ROLESANYWHERE_PKCS12_PASSWORD;
    }
  });

  it('takes the calling client\'s logger, and logs no secrets', async () => {
    const lines: string[] = [];
    const logger = { debug: (line: string) => lines.push(line), info: () => {}, warn: () => {}, error: () => {} };
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions() });
    const identity = await provider({ callerClientConfig: { logger, region: 'eu-west-1' } });
    expect(lines.join('\n')).toContain('CreateSession request: POST');
    expect(lines.join('\n')).not.toContain(identity.secretAccessKey);
    expect(lines.join('\n')).not.toContain(identity.sessionToken);
  });

  it('says its warnings as the code words them, without the CLI\'s "warning: ": the caller\'s logger names its own levels', async () => {
    const warnings: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: (line: string) => warnings.push(line), error: () => {} };
    await fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), verifyTls: false, logger })();
    expect(warnings).toEqual(['TLS certificate verification of the endpoint is disabled (verifyTls)']);
  });

  it("takes the options' logger before the calling client's (mutation sweep: the caller's first passed every test)", async () => {
    const own: string[] = [];
    const callers: string[] = [];
    const logger = (lines: string[]) => ({ debug: (line: string) => lines.push(line), info: () => {}, warn: () => {}, error: () => {} });
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), logger: logger(own) });
    await provider({ callerClientConfig: { logger: logger(callers), region: 'eu-west-1' } });
    expect(own.join('\n')).toContain('CreateSession request: POST');
    expect(callers).toEqual([]);
  });

  it("takes the creating client's logger (parentClientConfig) where neither the options nor the caller give one", async () => {
    const lines: string[] = [];
    const logger = { debug: (line: string) => lines.push(line), info: () => {}, warn: () => {}, error: () => {} };
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), parentClientConfig: { logger, region: 'eu-west-1' } });
    await provider();
    expect(lines.join('\n')).toContain('CreateSession request: POST');
  });

  it("takes the calling client's logger before the creating client's (parentClientConfig), as docs/library.md says (mutation testing: the creating client's first passed every test)", async () => {
    const callers: string[] = [];
    const parents: string[] = [];
    const logger = (lines: string[]) => ({ debug: (line: string) => lines.push(line), info: () => {}, warn: () => {}, error: () => {} });
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), parentClientConfig: { logger: logger(parents) } });
    await provider({ callerClientConfig: { logger: logger(callers), region: 'eu-west-1' } });
    expect(callers.join('\n')).toContain('CreateSession request: POST');
    expect(parents).toEqual([]);
  });

  it("does without a creating client's region it cannot tell (an SDK client with none set throws): the trust anchor's is used", async () => {
    const parentClientConfig = { region: () => Promise.reject(new Error('Region is missing')) };
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), parentClientConfig });
    expect((await provider()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
  });

  it("takes the creating client's region when the calling client has none set (QA: the caller's throwing region hid it)", async () => {
    const lines: string[] = [];
    const logger = { debug: (line: string) => lines.push(line), info: () => {}, warn: () => {}, error: () => {} };
    const [trustAnchorArn, profileArn] = [ARNS.trustAnchorArn, ARNS.profileArn].map((arn) => arn.replace(':us-east-1:', '::'));
    const provider = fromRolesAnywhere({
      certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), trustAnchorArn, profileArn, logger, parentClientConfig: { region: 'ap-south-1' },
    });
    // The emulator knows no such trust anchor: what counts is the Region the request was signed for.
    await expect(provider({ callerClientConfig: { region: () => Promise.reject(new Error('Region is missing')) } })).rejects.toThrow(/CreateSession/);
    expect(lines.join('\n')).toContain('/ap-south-1/rolesanywhere/aws4_request');
    // The calling client's, when it has one, before the creating client's (mutation sweep: the creating client's first passed every test).
    lines.length = 0;
    const called = fromRolesAnywhere({
      certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), trustAnchorArn, profileArn, logger, parentClientConfig: { region: 'ap-south-1' },
    });
    await expect(called({ callerClientConfig: { region: 'eu-west-3' } })).rejects.toThrow(/CreateSession/);
    expect(lines.join('\n')).toContain('/eu-west-3/rolesanywhere/aws4_request');
  });

  it('refuses an empty endpoint (a variable exported empty), which would be the Region\'s real one (QA)', async () => {
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), endpoint: '' });
    await expect(provider()).rejects.toMatchObject({ tryNextLink: false, message: 'fromRolesAnywhere: invalid endpoint "": it is empty (leave it out for the Region\'s own)' });
    // Nor an empty region or session name, which went unnoticed as none (QA).
    const emptyRegion = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), region: '' });
    await expect(emptyRegion()).rejects.toMatchObject({ message: 'fromRolesAnywhere: invalid region "": it is empty (leave it out for the trust anchor\'s)' });
    const emptyName = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), roleSessionName: '' });
    await expect(emptyName()).rejects.toMatchObject({ message: 'fromRolesAnywhere: invalid roleSessionName "": it is empty (leave it out for none)' });
  });

  it('not configured at all (the variables it was given are unset), it lets an SDK credential chain go on', async () => {
    const { createCredentialChain } = await import('@aws-sdk/credential-providers');
    const unset = fromRolesAnywhere({ certificate: undefined, privateKey: undefined, trustAnchorArn: undefined!, profileArn: '', roleArn: undefined! });
    await expect(unset()).rejects.toMatchObject({
      name: 'CredentialsProviderError',
      tryNextLink: true,
      message: 'fromRolesAnywhere: not configured: no certificate, private key, trust anchor, profile or role was given',
    });
    const next = { accessKeyId: 'AKIDNEXT', secretAccessKey: 'next' };
    expect(await createCredentialChain(unset, async () => next)()).toEqual(next);
    // Given any of them, a mistake stops the chain.
    const partial = fromRolesAnywhere({ certificate: leaf.certPath, trustAnchorArn: undefined!, profileArn: undefined!, roleArn: undefined! });
    await expect(createCredentialChain(partial, async () => next)()).rejects.toMatchObject({ tryNextLink: false });
  });

  it("reads the clock at each call, as a test's fake timers set it, whether installed after its first call or before it and removed since (QA testfw: it kept the clock of its first call, and gave credentials expired by the process's clock: ExpiredToken)", async () => {
    await expectValidPastHeldExpiry(fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions() }));
    const another = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions() });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 2 * 3600_000 });
    const fakeFirst = await another().finally(() => vi.useRealTimers());
    expect((await another()).accessKeyId).not.toBe(fakeFirst.accessKeyId);
    await another.close();
  });

  it('releases what it holds on close() and with `await using`', async () => {
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions() });
    await provider();
    expect(provider[Symbol.asyncDispose]).toBe(provider.close);
    await provider.close();
    await provider.close();
  });

  it('keeps the session a call starts while close() is under way, for a later close() (QA: it was dropped unclosed)', async () => {
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions() });
    await provider();
    const before = scenario.emulator.issued.length;
    const closing = provider.close();
    const during = await provider();
    await closing;
    expect((await provider()).accessKeyId).toBe(during.accessKeyId);
    expect(scenario.emulator.issued.length).toBe(before + 1);
    await provider.close();
  });

  it('drops a set-up that close() took while it was under way: a later set-up that fails is tried again at the next call', async () => {
    const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions() });
    // The first call's set-up is under way as close() takes it (its own outcome does not matter here).
    const first = provider().catch(() => undefined);
    await provider.close();
    await first;
    // A set-up that fails (the session refuses the proxy settings) ...
    await withEnv({ HTTP_PROXY: 'http://127.0.0.1:9', REQUEST_METHOD: 'GET' }, async () => {
      await expect(provider()).rejects.toThrow(/REQUEST_METHOD is set/);
    });
    // ... is made again once the cause is gone, not its failure handed out at every call from then on.
    expect((await provider()).accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
    await provider.close();
  });
});

describe('the package as a program loads it', () => {
  const run = (file: string, code: string) =>
    promisify(execFile)(process.execPath, ['--input-type', file.endsWith('.mjs') ? 'module' : 'commonjs', '-e', code], {
      cwd: projectRoot,
      env: cleanEnv(),
    });
  const options = () => JSON.stringify({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions() });

  it('works from CommonJS and ES modules, loads no key source it does not use, and writes nothing anywhere', async () => {
    const cjs = await run(
      'x.cjs',
      `const { fromRolesAnywhere } = require('./dist/index.cjs');
       fromRolesAnywhere(${options()})().then((c) => {
         const loaded = Object.keys(require.cache).map((p) => p.slice(p.lastIndexOf('/') + 1)).sort().join(',');
         require('node:fs').writeFileSync(process.argv[1] || '/dev/null', '');
         if (c.accessKeyId.length < 16 || /cli|pkcs11|tpm|pkcs12|mlDsa|sshAgent|x509/.test(loaded) || !loaded.startsWith('common.cjs,credentials.refreshing.cjs,http.cjs,index.cjs')) process.exit(2);
       }, () => process.exit(3));`,
    );
    expect(cjs).toEqual({ stdout: '', stderr: '' });
    const esm = await run(
      'x.mjs',
      `import { fromRolesAnywhere } from './dist/index.mjs';
       const c = await fromRolesAnywhere(${options()})();
       if (c.accessKeyId.length < 16) process.exit(2);`,
    );
    expect(esm).toEqual({ stdout: '', stderr: '' });
  });

  it("loads no session, key or HTTP code, nor node:crypto or node:net, nor common.cjs, until the first call: a program that imports it, and makes a provider at start, does not pay for them on a start that fetches no credentials (22 to 27 ms in one slow hour, and about 2 ms, docs/performance.md)", async () => {
    // Programs in files: `node -e` lists node:crypto as loaded before its code runs (Node 20 to 24).
    const folder = mkdtempSync(join(tmpdir(), 'rah-library-start-'));
    // What a program's start loads: the package, and a provider made at start (an SDK client's credentials).
    const report = `fromRolesAnywhere(${options()});
      const bundles = Object.keys(require.cache).filter((p) => p.includes('/dist/')).map((p) => p.slice(p.lastIndexOf('/') + 1)).sort();
      const builtIns = ['crypto', 'net', 'tls', 'http'].filter((name) => process.moduleLoadList.includes('NativeModule ' + name));
      console.log(bundles.join(','), '|', builtIns.join(',') || 'no crypto, net, tls or http');`;
    const programs = {
      'start.cjs': `const { fromRolesAnywhere } = require(${JSON.stringify(join(projectRoot, 'dist/index.cjs'))});\n${report}`,
      'start.mjs': `import { createRequire } from 'node:module';\nimport { fromRolesAnywhere } from ${JSON.stringify(pathToFileURL(join(projectRoot, 'dist/index.mjs')).href)};\nconst require = createRequire(import.meta.url);\n${report}`,
    };
    try {
      for (const [name, program] of Object.entries(programs)) {
        writeFileSync(join(folder, name), program);
        expect(await promisify(execFile)(process.execPath, [join(folder, name)], { env: cleanEnv() })).toEqual({
          stdout: 'credentials.refreshing.cjs,index.cjs,runtime.cjs | no crypto, net, tls or http\n',
          stderr: '',
        });
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('writes nothing when it fails either', async () => {
    const failing = await run(
      'x.cjs',
      `const { fromRolesAnywhere } = require('./dist/index.cjs');
       fromRolesAnywhere({ ...${options()}, endpoint: 'http://127.0.0.1:1' })().then(() => process.exit(2), (e) => process.exit(e.tryNextLink === false ? 0 : 3));`,
    );
    expect(failing).toEqual({ stdout: '', stderr: '' });
  });

  /** What fromRolesAnywhere throws in a Node whose process.version(s) a preload (the source given) changed. */
  async function refusalWith(preloadSource: string) {
    const folder = mkdtempSync(join(tmpdir(), 'rah-old-runtime-'));
    try {
      const preload = join(folder, 'versions.cjs');
      writeFileSync(preload, preloadSource);
      return await promisify(execFile)(
        process.execPath,
        ['--require', preload, '--input-type', 'module', '-e',
          `import { fromRolesAnywhere } from './dist/index.mjs';
           try { fromRolesAnywhere(${options()}); } catch (e) { console.log(e.name, e.tryNextLink, e.message); }`],
        { cwd: projectRoot, env: cleanEnv() },
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  it('refuses a Node.js older than package.json allows, saying so, rather than fail on a missing API (Node 20.11: "(0 , st.hash) is not a function")', async () => {
    for (const version of ['20.11.1', '22.11.0']) {
      const refusal = await refusalWith(`for (const [name, value] of [['version', 'v${version}'], ['versions', { ...process.versions, node: '${version}' }]]) Object.defineProperty(process, name, { value });`);
      expect(refusal).toEqual({ stdout: `CredentialsProviderError false fromRolesAnywhere: roles-anywhere-helper needs Node.js 20.19 or a later 20.x, or 22.12 or later; this is v${version}\n`, stderr: '' });
    }
  });

  it('names Bun or Deno, and the version of it needed, where the runtime running it is one that cannot run it (QA: runtimes)', async () => {
    const runtimes = [
      { versions: { node: '22.6.0', bun: '1.1.45' }, problem: 'needs Bun 1.3 or later (or Node.js 20.19 or a later 20.x, or 22.12 or later); this is Bun 1.1.45' },
      // Deno 2.6 says Node 24.2, which passes; P-256 keys then failed as "unsupported EC curve p256".
      { versions: { node: '24.2.0', deno: '2.6.8' }, problem: 'needs Deno 2.7.3 or later (or Node.js 20.19 or a later 20.x, or 22.12 or later); this is Deno 2.6.8' },
    ];
    for (const { versions, problem } of runtimes) {
      const refusal = await refusalWith(`Object.defineProperty(process, 'versions', { value: { ...process.versions, ...${JSON.stringify(versions)} } });`);
      expect(refusal).toEqual({ stdout: `CredentialsProviderError false fromRolesAnywhere: roles-anywhere-helper ${problem}\n`, stderr: '' });
    }
  });
});

describe('fromRolesAnywhere({ cache: true })', () => {
  it('shares credentials with other processes through the credential cache', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-library-cache-'));
    try {
      await withEnv({ ROLES_ANYWHERE_HELPER_CACHE_DIR: folder }, async () => {
        const before = scenario.emulator.issued.length;
        const first = await fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), cache: true })();
        const second = await fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), cache: true })();
        expect(second.accessKeyId).toBe(first.accessKeyId);
        // As SDK clients of other Regions call it: the trust anchor's Region decides, and so the entry is the same.
        for (const region of ['us-east-1', 'eu-west-1']) {
          const provider = fromRolesAnywhere({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), cache: true });
          expect((await provider({ callerClientConfig: { region } })).accessKeyId).toBe(first.accessKeyId);
        }
        expect(scenario.emulator.issued.length).toBe(before + 1);
        // The CLI finds the same entry.
        const cli = await runCli(['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], {
          env: { ROLES_ANYWHERE_HELPER_CACHE_DIR: folder },
        });
        expect(JSON.parse(cli.stdout).AccessKeyId).toBe(first.accessKeyId);
        expect(scenario.emulator.issued.length).toBe(before + 1);
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  /** `options`' entry stored (by a provider closed since) in a cache folder of its own, for `use`: what another process finds. */
  async function withStoredEntry(options: RolesAnywhereProviderOptions, use: (stored: Awaited<ReturnType<ReturnType<typeof fromRolesAnywhere>>>) => Promise<void>) {
    const folder = mkdtempSync(join(tmpdir(), 'rah-library-cache-'));
    try {
      await withEnv({ ROLES_ANYWHERE_HELPER_CACHE_DIR: folder }, async () => {
        const filling = fromRolesAnywhere(options);
        const stored = await filling();
        await filling.close();
        await use(stored);
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  it('answers a hit without making the session: concurrent first calls share it, a forced call or a refresh then makes the session (saying its route then), close() closes it; verifyTls false is said at a hit too', async () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const logger = { debug: (line: string) => lines.push(line), info: () => {}, warn: (line: string) => warnings.push(line), error: () => {} };
    const options = { certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), cache: true };
    const route = `fromRolesAnywhere: role ${ARNS.roleArn} through ${scenario.emulator.url}/`;
    await withStoredEntry(options, async (stored) => {
      const before = scenario.emulator.issued.length;
      const provider = fromRolesAnywhere({ ...options, logger });
      const [one, two] = await Promise.all([provider(), provider()]);
      expect([one.accessKeyId, two.accessKeyId]).toEqual([stored.accessKeyId, stored.accessKeyId]);
      expect(lines).toEqual([expect.stringMatching(/^credential cache: hit \(.*\.json, valid for \d+ more min\)$/)]);
      expect(scenario.emulator.issued.length).toBe(before);
      lines.length = 0;
      const forced = await provider({ forceRefresh: true });
      expect(scenario.emulator.issued.length).toBe(before + 1);
      expect(forced.accessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
      expect(lines.slice(0, 2)).toEqual([route, expect.stringMatching(/^credential cache: refresh forced \(/)]);
      await provider.close();
      // A call after close() starts again: a hit of the entry the forced call wrote.
      expect((await provider()).accessKeyId).toBe(forced.accessKeyId);
      await provider.close();
      // A first call that forces gets no hit; one with verifyTls false makes the session, which warns, as without a hit.
      lines.length = 0;
      const forcing = fromRolesAnywhere({ ...options, logger });
      expect((await forcing({ forceRefresh: true })).accessKeyId).not.toBe(forced.accessKeyId);
      expect(lines[0]).toBe(route);
      await forcing.close();
      lines.length = 0;
      const unverified = fromRolesAnywhere({ ...options, verifyTls: false, logger });
      await unverified();
      expect([lines[0], warnings]).toEqual([route, ['TLS certificate verification of the endpoint is disabled (verifyTls)']]);
      await unverified.close();
      expect(scenario.emulator.issued.length).toBe(before + 2);
      // A refresh of a hit's credentials (past their expiry) makes the session then.
      lines.length = 0;
      await expectValidPastHeldExpiry(fromRolesAnywhere({ ...options, logger }));
      expect(lines.slice(0, 3)).toEqual([expect.stringMatching(/^credential cache: hit \(/), route, expect.stringMatching(/^credential cache: (miss|refresh) \(/)]);
      expect(scenario.emulator.issued.length).toBe(before + 3);
    });
  });

  it('closes at once a session a forced call makes after close() (the hit answering the first call meanwhile): it opens no key and sends no CreateSession for nobody', async () => {
    const options = { certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), cache: true };
    await withStoredEntry(options, async (stored) => {
      const before = scenario.emulator.issued.length;
      const provider = fromRolesAnywhere(options);
      const first = provider();
      // Forced while the hit is being handed out: it waits for that, and makes the session after close().
      const forced = provider({ forceRefresh: true }).then(() => 'answered', (error: Error) => error.message);
      await provider.close();
      expect((await first).accessKeyId).toBe(stored.accessKeyId);
      expect(await forced).toMatch(/closed/);
      expect(scenario.emulator.issued.length).toBe(before);
    });
  });

  it('names the entry again when it makes the session after a hit: a certificate renewed in place meanwhile has its refresh stored under its own entry, as a miss would', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-library-renewed-'));
    const renewed = await scenario.leaf('library-renewed');
    const certPath = join(folder, 'cert.pem');
    const keyPath = join(folder, 'key.pem');
    writeFileSync(certPath, readFileSync(leaf.certPath));
    writeFileSync(keyPath, readFileSync(leaf.keyPath));
    const options = { certificate: certPath, privateKey: keyPath, ...sessionOptions(), cache: true };
    try {
      await withStoredEntry(options, async () => {
        const provider = fromRolesAnywhere(options);
        await provider();
        // Renewed in place while the hit's credentials are held: the refresh past their expiry makes the session.
        writeFileSync(certPath, readFileSync(renewed.certPath));
        writeFileSync(keyPath, readFileSync(renewed.keyPath));
        await expectValidPastHeldExpiry(provider);
        const refreshed = scenario.emulator.issued.at(-1)!;
        // What it stored is the renewed certificate's entry: another process's first call is a hit of it.
        const another = fromRolesAnywhere(options);
        expect((await another()).accessKeyId).toBe(refreshed.accessKeyId);
        await another.close();
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('makes the session again at a later fetch when making it after a hit failed (the proxy settings it refuses, put right meanwhile), keeping the hit while it lasts', async () => {
    const options = { certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), cache: true };
    await withStoredEntry(options, async (stored) => {
      const provider = fromRolesAnywhere(options);
      expect((await provider()).accessKeyId).toBe(stored.accessKeyId);
      await withEnv({ HTTP_PROXY: 'http://127.0.0.1:9', REQUEST_METHOD: 'GET' }, async () => {
        await expect(provider({ forceRefresh: true })).rejects.toThrow(/REQUEST_METHOD is set/);
      });
      expect((await provider()).accessKeyId).toBe(stored.accessKeyId);
      const before = scenario.emulator.issued.length;
      await expectValidPastHeldExpiry(provider);
      expect(scenario.emulator.issued.length).toBe(before + 1);
    });
  });

  it('says at a hit what it says at a miss: an XDG_CACHE_HOME passed over (a hit read before the session says nothing, and leaves that to it)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rah-library-home-'));
    const warnings: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: (line: string) => warnings.push(line), error: () => {} };
    const options = { certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), cache: true, logger };
    try {
      await withEnv({ HOME: home, XDG_CACHE_HOME: '/tmp/cache\u0001home' }, async () => {
        const before = scenario.emulator.issued.length;
        for (let run = 0; run < 2; run++) {
          const provider = fromRolesAnywhere(options);
          await provider();
          await provider.close();
        }
        expect(scenario.emulator.issued.length).toBe(before + 1);
      }, ['ROLES_ANYWHERE_HELPER_CACHE_DIR']);
      expect(warnings).toHaveLength(2);
      expect(new Set(warnings)).toEqual(new Set([expect.stringMatching(/^XDG_CACHE_HOME "\/tmp\/cache\\u0001home" holds a control character: the credential cache is in /)]));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('answers a hit without opening the key: a key it could not open, a missing file or a pkcs11: URI, and no PKCS#11 code loaded (issue 9: the key source is opened on first use)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-library-cache-'));
    const options = { certificate: leaf.certPath, ...sessionOptions(), cache: true };
    const script = `
      const { fromRolesAnywhere } = require(${JSON.stringify(join(projectRoot, 'dist/index.cjs'))});
      const options = ${JSON.stringify(options)};
      (async () => {
        const first = await fromRolesAnywhere({ ...options, privateKey: ${JSON.stringify(leaf.keyPath)} })();
        for (const privateKey of [${JSON.stringify(join(folder, 'missing-key.pem'))}, 'pkcs11:token=none;object=none']) {
          const hit = await fromRolesAnywhere({ ...options, privateKey })();
          console.log(hit.accessKeyId === first.accessKeyId ? 'hit' : 'other credentials');
        }
        console.log(Object.keys(require.cache).filter((path) => /pkcs11/i.test(path)).length + ' PKCS#11 files loaded');
      })().catch((error) => console.log(error.message));
    `;
    try {
      const before = scenario.emulator.issued.length;
      const result = await promisify(execFile)(process.execPath, ['-e', script], { env: cleanEnv({ ROLES_ANYWHERE_HELPER_CACHE_DIR: folder }) });
      expect(result).toEqual({ stdout: 'hit\nhit\n0 PKCS#11 files loaded\n', stderr: '' });
      expect(scenario.emulator.issued.length).toBe(before + 1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("answers a hit without loading the file locks (proper-lockfile, graceful-fs, signal-exit) or listening for signals, which only a miss needs, nor the session's code (keys, signing, HTTP) and node:crypto, node:net or node:tls: they cost a program's hit more than the rest of it (docs/performance.md)", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-library-cache-'));
    // A program in a file: \`node -e\` lists node:crypto as loaded before its code runs.
    const program = join(folder, 'program.cjs');
    writeFileSync(
      program,
      `const { fromRolesAnywhere } = require(${JSON.stringify(join(projectRoot, 'dist/index.cjs'))});
      fromRolesAnywhere(${JSON.stringify({ certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), cache: true })})().then(() => {
        const loaded = Object.keys(require.cache).filter((path) => /lockFile|proper-lockfile|graceful-fs|signal-exit/.test(path)).length;
        const bundles = Object.keys(require.cache).filter((path) => path.includes('/dist/')).map((path) => path.slice(path.lastIndexOf('/') + 1)).sort();
        const builtIns = ['crypto', 'net', 'tls', 'http'].filter((name) => process.moduleLoadList.includes('NativeModule ' + name));
        console.log(loaded + ' lock files loaded, ' + process.listenerCount('SIGTERM') + ' SIGTERM listeners');
        console.log(bundles.join(',') + ' | ' + (builtIns.join(',') || 'no crypto, net, tls or http'));
      });`,
    );
    try {
      const before = scenario.emulator.issued.length;
      const run = () => promisify(execFile)(process.execPath, [program], { env: cleanEnv({ ROLES_ANYWHERE_HELPER_CACHE_DIR: join(folder, 'cache') }) });
      // The miss locks its entry, and so loads the locks, and makes the CreateSession.
      expect((await run()).stdout).toMatch(/^[1-9]\d* lock files loaded, 1 SIGTERM listeners\n.*session\.cjs.*sigV4\.cjs.* \| crypto,net\n$/);
      expect(await run()).toEqual({
        stdout:
          '0 lock files loaded, 0 SIGTERM listeners\n' +
          'credentials.cache.entries.cjs,credentials.refreshing.cjs,files.cjs,index.cjs,runtime.cjs | no crypto, net, tls or http\n',
        stderr: '',
      });
      expect(scenario.emulator.issued.length).toBe(before + 1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("leaves a program that stops on SIGTERM with a listener that removes itself (process.once) to stop its own way, where signal-exit, which the cache's locks load, ended it of the signal mid-stop (exit 143)", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rah-library-cache-'));
    const options = { certificate: leaf.certPath, privateKey: leaf.keyPath, ...sessionOptions(), cache: true };
    const script = `
      const { fromRolesAnywhere } = require(${JSON.stringify(join(projectRoot, 'dist/index.cjs'))});
      process.once('SIGTERM', () => setTimeout(() => { console.log('stopped its own way'); process.exit(0); }, 200));
      fromRolesAnywhere(${JSON.stringify(options)})().then(() => console.log('got credentials'));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['-e', script], { env: cleanEnv({ ROLES_ANYWHERE_HELPER_CACHE_DIR: folder }) });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (stdout === 'got credentials\n') child.kill('SIGTERM');
    });
    try {
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (...ended) => resolve(ended)));
      expect({ code, signal, stdout }).toEqual({ code: 0, signal: null, stdout: 'got credentials\nstopped its own way\n' });
    } finally {
      child.kill('SIGKILL');
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
