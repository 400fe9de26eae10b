import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SERVE_FLAGS } from '../../src/cli/commands/serve/flags.js';
import { parseFlags } from '../../src/cli/commandLine.js';
import { rolesAnywhereOptions } from '../../src/cli/commandOptions.js';
import { rolesAnywhereSession } from '../../src/credentials/rolesAnywhereSession.js';
import { bindAddress } from '../../src/outputs/httpServer/bindAddress.js';
import { projectRoot } from '../support/cli.js';
import { testContext } from '../support/context.js';

/**
 * docs/kubernetes/, checked without a cluster: each manifest parses as Kubernetes objects, and the pieces
 * agree with each other and with the helper (its flags parse, its ARNs pass its own checks).
 */
interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind has its own spec
  spec: Record<string, any>;
}

function manifest(name: string): KubernetesObject[] {
  const documents = parseAllDocuments(readFileSync(`${projectRoot}/docs/kubernetes/${name}`, 'utf8'));
  return documents.map((document) => {
    expect(document.errors, name).toEqual([]);
    const object = document.toJS() as KubernetesObject;
    expect(object.apiVersion, name).toMatch(/^[\w.-]+(\/v\w+)?$/);
    expect(object.metadata.name, name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(object.metadata.namespace, name).toBe('workload');
    return object;
  });
}

const [issuer, certificate] = manifest('certificate.yaml');
const [deployment] = manifest('deployment.yaml');
const pod = deployment!.spec.template.spec;
const helper = pod.initContainers.find((container: { name: string }) => container.name === 'roles-anywhere-helper');
const app = pod.containers.find((container: { name: string }) => container.name === 'app');
const [command, ...args] = helper.args as string[];
const flags = parseFlags(args, SERVE_FLAGS).values;
const env = Object.fromEntries((app.env as { name: string; value: string }[]).map(({ name, value }) => [name, value]));

/** Where a container sees a file of a volume, by the volume's name. */
function mountedAt(container: { volumeMounts: { name: string; mountPath: string }[] }, volume: string): string {
  const mount = container.volumeMounts.find((candidate) => candidate.name === volume);
  expect(mount, `${volume} mounted`).toBeDefined();
  return mount!.mountPath;
}
const volumeOf = (container: { volumeMounts: { name: string; mountPath: string }[] }, path: string) =>
  container.volumeMounts.find((mount) => path.startsWith(`${mount.mountPath}/`))?.name;

describe('docs/kubernetes/certificate.yaml', () => {
  it('a cert-manager Issuer and the Certificate it issues, with a key the helper reads', () => {
    expect(issuer).toMatchObject({ apiVersion: 'cert-manager.io/v1', kind: 'Issuer', spec: { ca: { secretName: expect.any(String) } } });
    expect(certificate).toMatchObject({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate' });
    expect(certificate!.spec.issuerRef).toEqual({ kind: 'Issuer', name: issuer!.metadata.name });
    expect(certificate!.spec.privateKey).toMatchObject({ algorithm: 'ECDSA', size: 256, encoding: 'PKCS8' });
    expect(certificate!.spec.usages).toEqual(expect.arrayContaining(['digital signature', 'client auth']));
  });
});

describe('docs/kubernetes/deployment.yaml', () => {
  it('a Deployment whose selector matches its pods', () => {
    expect(deployment).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(deployment!.spec.template.metadata.labels).toMatchObject(deployment!.spec.selector.matchLabels);
  });

  it('the helper: a native sidecar running serve --ecs on the pod\'s loopback, with flags the helper accepts', () => {
    expect(helper.restartPolicy).toBe('Always');
    expect(command).toBe('serve');
    expect(flags.ecs).toBe(true);
    expect(bindAddress(flags.bind)).toMatchObject({ loopback: true });
    // The ARNs, duration and Region pass the helper's own checks (nothing is opened or sent).
    const session = rolesAnywhereSession(rolesAnywhereOptions(flags, { env: {} }), testContext());
    expect(env.AWS_REGION).toBe(session.config.signingRegion);
    expect(helper.startupProbe.exec.command.join(' ')).toContain(`connect(${flags.port}, '127.0.0.1')`);
  });

  it('the certificate and key come from the Certificate\'s Secret', () => {
    const identity = pod.volumes.find((volume: { secret?: { secretName: string } }) => volume.secret?.secretName === certificate!.spec.secretName);
    expect(identity).toBeDefined();
    expect(flags.certificate).toBe(posix.join(mountedAt(helper, identity.name), 'tls.crt'));
    expect(flags['private-key']).toBe(posix.join(mountedAt(helper, identity.name), 'tls.key'));
  });

  it('the application: the URL of the helper\'s role, and the token file in the volume they share', () => {
    const roleName = flags['role-arn']!.slice(flags['role-arn']!.lastIndexOf('/') + 1);
    expect(env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(`http://127.0.0.1:${flags.port}/role/${roleName}`);
    const tokenFile = flags['auth-token-file']!;
    const shared = volumeOf(helper, tokenFile)!;
    expect(pod.volumes.find((volume: { name: string }) => volume.name === shared).emptyDir).toBeDefined();
    expect(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE).toBe(posix.join(mountedAt(app, shared), posix.relative(mountedAt(helper, shared), tokenFile)));
  });

  it('both containers run as one user, so that the application reads the 0600 token file', () => {
    expect(pod.securityContext.runAsUser).toEqual(expect.any(Number));
    for (const container of [helper, app]) expect(container.securityContext?.runAsUser).toBeUndefined();
  });

  it('every volume a container mounts is declared', () => {
    const declared = new Set(pod.volumes.map((volume: { name: string }) => volume.name));
    for (const container of [helper, app]) for (const mount of container.volumeMounts) expect(declared.has(mount.name), mount.name).toBe(true);
  });
});

describe('docs/kubernetes/Dockerfile', () => {
  it('installs this version of the package from its tarball, not by a name on the registry, and runs it as the pod\'s user', () => {
    const dockerfile = readFileSync(`${projectRoot}/docs/kubernetes/Dockerfile`, 'utf8');
    const { version } = JSON.parse(readFileSync(`${projectRoot}/package.json`, 'utf8'));
    // The name npm pack gives it; the package is not published, and the name on the registry is anyone's (QA).
    const tarball = `roles-anywhere-helper-${version}.tgz`;
    expect(dockerfile).toMatch(new RegExp(`^COPY ${tarball.replaceAll('.', '\\.')} /tmp/$`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`^RUN npm install --global /tmp/${tarball.replaceAll('.', '\\.')} `, 'm'));
    expect(dockerfile).not.toContain(`roles-anywhere-helper@`);
    expect(dockerfile).toMatch(new RegExp(`^USER ${pod.securityContext.runAsUser}$`, 'm'));
    expect(dockerfile).toMatch(/^ENTRYPOINT \["roles-anywhere-helper"\]$/m);
    expect(helper.image).toMatch(new RegExp(`:${version.replaceAll('.', '\\.')}$`));
  });
});
