import { GetSubjectCommand, ListSubjectsCommand, RolesAnywhereClient } from '@aws-sdk/client-rolesanywhere';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/emulator.js';
import { CertificateAuthority, type IssuedCertificate } from '../../../../src/emulator/pki/certificateAuthority.js';
import { pkcs8Pem } from '../../../../src/emulator/pki/generateKey.js';
import { FileKeySource } from '../../../../src/keys/file/fileKeySource.js';
import { canonicalQueryString } from '../../../../src/sigv4x509/canonicalRequest.js';
import { signRequest } from '../../../../src/sigv4x509/signRequest.js';
import { errorLine, runCli } from '../../../support/cli.js';
import { testContext } from '../../../support/context.js';
import { rolesAnywhereRefusal } from '../../../support/rolesAnywhereRefusal.js';
import { Workspace } from '../../../support/scenario.js';

const REGION = 'eu-west-1';
const ROLE = 'arn:aws:iam::111122223333:role/workload';

let emulator: RunningEmulator;
let client: RolesAnywhereClient;
let ca: CertificateAuthority;
let workspace: Workspace;

beforeAll(async () => {
  workspace = new Workspace();
  ca = await CertificateAuthority.create({ subject: 'CN=Subjects Root' });
  emulator = await startEmulator({
    accountId: '111122223333',
    region: REGION,
    trustAnchors: [{ name: 'root', certificates: ca.certificate.pem }],
    profiles: [{ name: 'strict', roleArns: [ROLE] }],
  });
  client = new RolesAnywhereClient({ region: REGION, endpoint: emulator.url, credentials: { accessKeyId: 'AKIDSETUP', secretAccessKey: 'setup' }, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
  workspace.cleanup();
});

let counter = 0;
async function leaf(subject: string, issuer = ca) {
  const certificate = await issuer.issue({ subject });
  const name = `leaf-${++counter}`;
  return { certificate, certPath: workspace.write(`${name}.pem`, certificate.pem), keyPath: workspace.write(`${name}-key.pem`, pkcs8Pem(certificate.key!)) };
}
const arns = () => ({ trustAnchorArn: emulator.trustAnchors[0]!.arn, profileArn: emulator.profiles[0]!.arn, roleArn: ROLE });

function credentialProcess(files: { certPath: string; keyPath: string }, extra: string[] = []) {
  const { trustAnchorArn, profileArn, roleArn } = arns();
  return runCli([
    'credential-process', '--certificate', files.certPath, '--private-key', files.keyPath, '--trust-anchor-arn', trustAnchorArn,
    '--profile-arn', profileArn, '--role-arn', roleArn, '--endpoint', emulator.url, ...extra,
  ]);
}

/** CreateSession as a client that sends instanceProperties signs it: its subjectArn. */
async function createSessionWithProperties(files: { certPath: string; keyPath: string }, instanceProperties: Record<string, string>): Promise<string> {
  const signer = await new FileKeySource({ certificate: files.certPath, privateKey: files.keyPath }, testContext()).current();
  const url = new URL(`${emulator.url}/sessions`);
  const query = arns();
  url.search = canonicalQueryString(query);
  const body = JSON.stringify({ durationSeconds: 900, instanceProperties });
  const signed = await signRequest(
    { method: 'POST', path: '/sessions', query, headers: { 'Content-Type': 'application/json', Host: url.host }, body },
    { ...signer, certificate: signer.certificate! },
    { date: new Date(), region: REGION },
  );
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body });
  expect(response.status).toBe(201);
  return ((await response.json()) as { subjectArn: string }).subjectArn;
}

const decimal = (certificate: IssuedCertificate) => BigInt(`0x${certificate.serialNumberHex}`).toString();
const base64Body = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');

describe('ListSubjects and GetSubject with @aws-sdk/client-rolesanywhere', () => {
  it('list each certificate subject that authenticated, with the certificates it presented, whether the attempt failed, and its instance properties', async () => {
    expect((await client.send(new ListSubjectsCommand({}))).subjects).toEqual([]);
    const first = await leaf('CN=alpha,O=Example');
    const renewed = await leaf('CN=alpha,O=Example');
    const refused = await leaf('CN=beta');
    const untrusted = await leaf('CN=gamma', await CertificateAuthority.create({ subject: 'CN=Other Root' }));
    expect((await credentialProcess(first)).code).toBe(0);
    const subjectArn = await createSessionWithProperties(renewed, { hostname: 'build-7', os: 'linux' });
    // Refused after the chain verified: recorded as a failed attempt. One that does not chain is no subject.
    expect(errorLine(await credentialProcess(refused, ['--role-session-name', 'not-allowed']))).toMatch(/Not authorized to set roleSessionName/);
    expect(errorLine(await credentialProcess(untrusted))).toMatch(/AccessDeniedException/);

    const { subjects } = await client.send(new ListSubjectsCommand({}));
    expect(subjects!.map(({ x509Subject, enabled }) => [x509Subject, enabled])).toEqual([['CN=alpha, O=Example', true], ['CN=beta', true]]);
    const [alpha, beta] = subjects!;
    expect(alpha!.subjectArn).toBe(subjectArn);
    expect(subjectArn).toBe(`arn:aws:rolesanywhere:${REGION}:111122223333:subject/${alpha!.subjectId}`);
    expect(alpha!.lastSeenAt!.getTime()).toBeGreaterThanOrEqual(alpha!.createdAt!.getTime());

    const { subject } = await client.send(new GetSubjectCommand({ subjectId: alpha!.subjectId! }));
    expect(subject).toMatchObject({ subjectArn, x509Subject: 'CN=alpha, O=Example', enabled: true });
    expect(subject!.credentials!.map(({ serialNumber, issuer, enabled, failed }) => ({ serialNumber, issuer, enabled, failed }))).toEqual([
      { serialNumber: decimal(first.certificate), issuer: 'CN=Subjects Root', enabled: true, failed: false },
      { serialNumber: decimal(renewed.certificate), issuer: 'CN=Subjects Root', enabled: true, failed: false },
    ]);
    expect(base64Body(subject!.credentials![1]!.x509CertificateData!)).toBe(base64Body(renewed.certificate.pem));
    expect(subject!.instanceProperties).toEqual([{ seenAt: expect.any(Date), properties: { hostname: 'build-7', os: 'linux' }, failed: false }]);

    const failed = (await client.send(new GetSubjectCommand({ subjectId: beta!.subjectId! }))).subject!;
    expect([failed.credentials!.map((credential) => credential.failed), failed.instanceProperties]).toEqual([[true], []]);

    // Paged as the other lists are.
    const firstPage = await client.send(new ListSubjectsCommand({ pageSize: 1 }));
    const secondPage = await client.send(new ListSubjectsCommand({ pageSize: 1, nextToken: firstPage.nextToken! }));
    expect([firstPage.subjects!.map((s) => s.subjectId), secondPage.subjects!.map((s) => s.subjectId), secondPage.nextToken]).toEqual([[alpha!.subjectId], [beta!.subjectId], undefined]);
  });

  it('answers ResourceNotFoundException for a subject it has not seen, ValidationException for an ID not of the API form', async () => {
    const missing = '00000000-0000-0000-0000-000000000000';
    expect(await rolesAnywhereRefusal(client.send(new GetSubjectCommand({ subjectId: missing })))).toEqual({ name: 'ResourceNotFoundException', status: 404, message: `Subject ${missing} not found` });
    expect(await rolesAnywhereRefusal(client.send(new GetSubjectCommand({ subjectId: 'nope' })))).toEqual({
      name: 'ValidationException', status: 400, message: 'subjectId must be a 36-character ID such as 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
    });
  });
});
