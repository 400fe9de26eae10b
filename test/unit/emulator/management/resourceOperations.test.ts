import { describe, expect, it } from 'vitest';
import type { EmulatorRequest } from '../../../../src/emulator/httpExchange.js';
import { resourceOperation } from '../../../../src/emulator/management/resourceOperations.js';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { RolesAnywhereResources } from '../../../../src/emulator/resources.js';

const request = (method: string, path: string, body: object | undefined = undefined): EmulatorRequest => ({
  method,
  path,
  query: {},
  headers: {},
  body: body === undefined ? '' : JSON.stringify(body),
  requestId: 'test',
});

async function run(resources: RolesAnywhereResources, call: EmulatorRequest): Promise<{ status: number; body: Record<string, Record<string, unknown>> }> {
  const [, operation] = resourceOperation(call)!;
  try {
    const reply = await operation(call, resources);
    return { status: reply.status, body: JSON.parse(reply.body) };
  } catch (error) {
    return { status: (error as { status: number }).status, body: { error: { message: (error as Error).message } } };
  }
}

describe('an UpdateCrl overtaken, while it checks the CRL, by another request on that CRL (QA emu: parallel set-up calls)', () => {
  async function setUp() {
    const ca = await CertificateAuthority.create({ subject: 'CN=Overtaken Root' });
    const resources = new RolesAnywhereResources('us-east-1', '123456789012', () => new Date());
    const anchor = resources.addTrustAnchor({ name: 'root', certificates: ca.certificate.pem, enabled: true });
    const crl = await resources.importCrl({ name: 'first', trustAnchorArn: anchor.arn, pem: await ca.crl([]), enabled: true });
    // The update's CRL check waits until the other request is done.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const check = resources.crlEntries.bind(resources);
    resources.crlEntries = async (pem, arn) => {
      await gate;
      return check(pem, arn);
    };
    const update = run(resources, request('PATCH', `/crl/${crl.id}`, { name: 'second', crlData: Buffer.from(await ca.crl(['0a'])).toString('base64') }));
    return { resources, crl, update, release };
  }

  it('keeps what the other changed (DisableCrl), and applies the update', async () => {
    const { resources, crl, update, release } = await setUp();
    expect((await run(resources, request('POST', `/crl/${crl.id}/disable`))).body.crl!.enabled).toBe(false);
    release();
    expect((await update).status).toBe(200);
    expect(resources.crls.map(({ name, enabled, revoked }) => ({ name, enabled, revoked: revoked.size }))).toEqual([{ name: 'second', enabled: false, revoked: 1 }]);
  });

  it('answers ResourceNotFoundException when the other deleted it, and brings nothing back', async () => {
    const { resources, crl, update, release } = await setUp();
    expect((await run(resources, request('DELETE', `/crl/${crl.id}`))).status).toBe(200);
    release();
    expect(await update).toEqual({ status: 404, body: { error: { message: `CRL ${crl.id} not found` } } });
    expect(resources.crls).toEqual([]);
    expect(Object.keys(resources.crls)).toEqual([]);
  });
});
