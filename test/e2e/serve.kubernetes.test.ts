import { fromHttp } from '@aws-sdk/credential-providers';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { pkcs8Pem } from '../../src/emulator/pki/generateKey.js';
import { expectVerifiedCaller, withEnv } from '../support/awsClients.js';
import { projectRoot } from '../support/cli.js';
import { startCommand, type RunningCommand } from '../support/longRunning.js';
import { Scenario } from '../support/scenario.js';

/**
 * serve --ecs as docs/kubernetes/deployment.yaml runs it, without a cluster: its own arguments, user, group
 * and volumes, the Secret volume laid out and renewed as the kubelet does it (cert-manager's tls.crt, tls.key
 * and ca.crt, a new key with each renewal), the token in the emptyDir, the application's SDK reading both.
 * Users and groups take root (CI runs as root, as this does).
 */
const asRoot = process.getuid?.() === 0;

// YAML 1.1, as Kubernetes reads it: `defaultMode: 0440` is octal there (YAML 1.2 would read 440).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Deployment, as the docs test reads it
const pod = (parseAllDocuments(readFileSync(`${projectRoot}/docs/kubernetes/deployment.yaml`, 'utf8'), { version: '1.1' })[0]!.toJS() as any).spec.template.spec;
const helper = pod.initContainers[0];
const { runAsUser, runAsGroup, fsGroup } = pod.securityContext as { runAsUser: number; runAsGroup: number; fsGroup: number };
const identity = (pod.volumes as { name: string; secret?: { defaultMode: number } }[]).find((volume) => volume.name === 'identity')!.secret!;

let scenario: Scenario;
let base: string;
/** Each volume's folder here, by the path the helper's container mounts it at. */
let mounts: Map<string, string>;
let home: string;
const running: RunningCommand[] = [];

beforeAll(async () => {
  if (!asRoot) return;
  // Credentials for 4 s, refreshed at half their life: renewals are read within seconds.
  scenario = await Scenario.start({ credentialLifetimeSeconds: 4 });
  base = mkdtempSync(join(tmpdir(), 'rah-kubernetes-'));
  chmodSync(base, 0o755);
  mounts = new Map();
  for (const { name, mountPath } of helper.volumeMounts as { name: string; mountPath: string }[]) {
    // The kubelet's in-memory volumes (a Secret's, an emptyDir of medium Memory) are tmpfs roots, 1777, to which
    // fsGroup adds its group and setgid.
    const folder = join(base, name);
    mkdirSync(folder);
    chownSync(folder, 0, fsGroup);
    chmodSync(folder, 0o3777);
    mounts.set(mountPath, folder);
  }
  // readOnlyRootFilesystem: a home and a temporary folder the user cannot write (the image gives uid 10001
  // no home, so HOME=/, and /tmp is read-only with the rest).
  home = join(base, 'home');
  mkdirSync(home, { mode: 0o555 });
});

afterAll(async () => {
  if (!asRoot) return;
  await Promise.all(running.map((command) => command.stop()));
  await scenario.stop();
  rmSync(base, { recursive: true, force: true });
});

/**
 * Writes `files` into the Secret volume `folder` as the kubelet's AtomicWriter projects a Secret (its
 * behaviour, not its code): a new hidden timestamped folder holding them (root's, the volume's defaultMode,
 * fsGroup's ownership change adding the group's read), `NAME -> ..data/NAME` links for new names, a
 * `..data_tmp` link renamed over `..data`, then the names no longer there and the old folder removed.
 */
function projectSecret(folder: string, files: Record<string, string | Buffer>, defaultMode: number): void {
  const dataLink = join(folder, '..data');
  const old = existsSync(dataLink) ? readlinkSync(dataLink) : undefined;
  const stamp = new Date().toISOString().replace(/[-T:]/g, '_').replace(/\..*/, '');
  const timestamped = mkdtempSync(join(folder, `..${stamp}.`));
  for (const [name, content] of Object.entries(files)) {
    const path = join(timestamped, name);
    writeFileSync(path, content);
    chownSync(path, 0, fsGroup);
    chmodSync(path, defaultMode | 0o440);
  }
  chownSync(timestamped, 0, fsGroup);
  chmodSync(timestamped, 0o2755);
  for (const name of Object.keys(files)) if (!lstatSync(join(folder, name), { throwIfNoEntry: false })) symlinkSync(join('..data', name), join(folder, name));
  symlinkSync(basename(timestamped), join(folder, '..data_tmp'));
  renameSync(join(folder, '..data_tmp'), dataLink);
  if (!old) return;
  for (const name of readdirSync(join(folder, old))) if (!(name in files)) rmSync(join(folder, name));
  rmSync(join(folder, old), { recursive: true });
}

/** A new key pair and certificate, as cert-manager issues them with rotationPolicy: Always; its serial number in decimal. */
async function issue(): Promise<{ files: Record<string, string>; serial: string }> {
  const certificate = await scenario.ca.issue({ subject: 'CN=workload' });
  return {
    files: { 'tls.crt': certificate.pem, 'tls.key': pkcs8Pem(certificate.key!), 'ca.crt': scenario.ca.certificate.pem },
    serial: BigInt(`0x${certificate.serialNumberHex}`).toString(),
  };
}

/** The helper's container's arguments, its paths in the volumes here, the scenario's emulator and ARNs, and any port. */
function helperArgs(replace: Record<string, string> = {}): string[] {
  const args = (helper.args as string[]).filter((arg) => !/^--(trust-anchor|profile|role)-arn=/.test(arg));
  return [
    ...args.map((arg) => {
      const [flag, value] = arg.split(/=(.*)/s) as [string, string | undefined];
      if (flag in replace) return `${flag}=${replace[flag]}`;
      if (flag === '--port') return '--port=0';
      for (const [mountPath, folder] of mounts) if (value?.startsWith(`${mountPath}/`)) return `${flag}=${folder}${value.slice(mountPath.length)}`;
      return arg;
    }),
    ...scenario.sessionFlags(),
  ];
}

/** The helper as the pod runs it: its user, its group and fsGroup, no writable home or temporary folder. */
const asPod = (args: string[]) => startCommand(args, { HOME: home, TMPDIR: home }, undefined, ['setpriv', `--reuid=${runAsUser}`, `--regid=${runAsGroup}`, `--groups=${fsGroup}`]);

/** Starts the helper (asPod) and resolves once it listens, with the two variables it printed. */
async function startHelper(args: string[]): Promise<RunningCommand & { fullUri: string; tokenFile: string }> {
  const command = asPod(args);
  running.push(command);
  const [, fullUri, tokenFile] = await command.waitFor(/export AWS_CONTAINER_CREDENTIALS_FULL_URI=(\S+)\n.*export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=(\S+)\n/);
  return { ...command, fullUri: fullUri!, tokenFile: tokenFile! };
}

/** Resolves once the emulator has issued credentials for the certificate of this serial number. */
async function sessionFor(serial: string): Promise<void> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (scenario.emulator.issued.some((session) => session.serialNumber === serial)) return;
  }
  throw new Error(`no credentials were issued for the renewed certificate ${serial}`);
}

describe.skipIf(!asRoot)('serve --ecs as docs/kubernetes/deployment.yaml runs it', () => {
  it("reads the Secret volume as the pod's user, signs with each renewal (certificate and key) without a restart, and the SDK never fails meanwhile", async () => {
    const secret = mounts.get('/etc/roles-anywhere')!;
    const { defaultMode } = identity;
    expect(defaultMode).toBe(0o440);
    const first = await issue();
    projectSecret(secret, first.files, defaultMode);
    expect(lstatSync(join(secret, 'tls.key')).isSymbolicLink()).toBe(true);
    const server = await startHelper(helperArgs());
    // The token file the helper made in the emptyDir: the pod user's, 0600.
    expect(lstatSync(server.tokenFile)).toMatchObject({ uid: runAsUser, mode: 0o100600 });
    const client = () =>
      withEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: server.fullUri, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: server.tokenFile }, () => expectVerifiedCaller(scenario, fromHttp({ maxRetries: 0 })));
    await client();
    await sessionFor(first.serial);
    // The application asking all along (its SDK reads the token file for each request), as renewals come.
    let renewing = true;
    let calls = 0;
    const asking = (async () => {
      for (; renewing; calls++) await client();
    })();
    try {
      for (let renewal = 0; renewal < 3; renewal++) {
        const renewed = await issue();
        projectSecret(secret, renewed.files, defaultMode);
        await sessionFor(renewed.serial);
      }
    } finally {
      renewing = false;
    }
    await asking;
    expect(calls).toBeGreaterThan(3);
    expect(readdirSync(secret).filter((name) => name.startsWith('..2'))).toHaveLength(1);
    expect(server.stderr()).not.toMatch(/error|warning/i);
  });

  it("takes the token from a Secret (root's, 0440 for fsGroup), and a rotated one without a restart; a token ending in a newline is refused", async () => {
    projectSecret(mounts.get('/etc/roles-anywhere')!, (await issue()).files, 0o440);
    const tokens = join(base, 'aws-token');
    mkdirSync(tokens);
    chownSync(tokens, 0, fsGroup);
    chmodSync(tokens, 0o3777);
    projectSecret(tokens, { token: 'first-token-0123456789abcdefghijklmnopqrstuv' }, 0o440);
    const server = await startHelper(helperArgs({ '--auth-token-file': join(tokens, 'token') }));
    const ask = (token: string) => fetch(server.fullUri, { headers: { Authorization: token } });
    expect((await ask('first-token-0123456789abcdefghijklmnopqrstuv')).status).toBe(200);
    projectSecret(tokens, { token: 'second-token-0123456789abcdefghijklmnopqrstu' }, 0o440);
    expect((await ask('second-token-0123456789abcdefghijklmnopqrstu')).status).toBe(200);
    expect((await ask('first-token-0123456789abcdefghijklmnopqrstuv')).status).toBe(403);
    await server.stop();
    projectSecret(tokens, { token: 'third-token-0123456789abcdefghijklmnopqrstuv\n' }, 0o440);
    const refused = asPod(helperArgs({ '--auth-token-file': join(tokens, 'token') }));
    expect(await refused.exited()).toBe(1);
    expect(refused.stderr()).toMatch(/unable to use the token in auth token file \S+\/aws-token\/token: it ends with a newline/);
  });
});
