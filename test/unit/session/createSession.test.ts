import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { CreateSessionError } from '../../../src/errors.js';
import { parseCertificate, type Certificate } from '../../../src/keys/certificate.js';
import type { KeySource } from '../../../src/keys/keySource.js';
import { createSession } from '../../../src/session/createSession.js';
import { resolveSessionConfig } from '../../../src/session/sessionConfig.js';
import { testContext } from '../../support/context.js';
import { answering, type FakeEndpoint } from '../../support/fakeEndpoints.js';

const OPTIONS = { transport: { verifyTls: true, timeoutMs: 2_000 }, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, deadlineMs: 5_000 }, userAgent: 'test' };
const PREFIX = 'operation error RolesAnywhere: CreateSession, http response error StatusCode:';

let leaf: Certificate;
let intermediate: Certificate;
beforeAll(async () => {
  const issuer = await (await CertificateAuthority.create({ subject: 'CN=Root' })).issueIntermediate({ subject: 'CN=Intermediate' });
  leaf = parseCertificate((await issuer.issue({ subject: 'CN=leaf' })).der);
  intermediate = parseCertificate(issuer.certificate.der);
});

let endpoint: FakeEndpoint | undefined;
afterEach(async () => endpoint?.close());

/** A key source of the leaf certificate, with this chain sent and this many certificates left unsent in its file; the signature is not checked. */
function keySource(chain: readonly Certificate[], unsent?: number): KeySource {
  const identity = { certificate: leaf, chain, publicKey: leaf.publicKey, sign: async () => Buffer.alloc(64), ...(unsent === undefined ? {} : { unsentCertificates: () => unsent }) };
  return { description: 'leaf.pem', current: async () => identity, close: async () => {} };
}

/** CreateSession's error against an endpoint that refuses every request with `status` and this JSON message, or an empty answer. */
async function refusal(status: number, message: string | undefined, chain: readonly Certificate[] = [], unsent?: number): Promise<CreateSessionError> {
  endpoint = await answering((_req, res) => {
    if (message === undefined) res.writeHead(status).end();
    else res.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' }).end(JSON.stringify({ message }));
  });
  const config = resolveSessionConfig(
    {
      trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/t',
      profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      endpoint: endpoint.url,
    },
    {},
  );
  const error = await createSession(config, keySource(chain, unsent), OPTIONS, testContext()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CreateSessionError);
  return error as CreateSessionError;
}

describe("createSession's hints at a refusal", () => {
  it('counts the certificates left in the certificate\'s file, in the plural past one (mutation QA)', async () => {
    expect((await refusal(403, 'Untrusted Signing Certificate', [], 2)).message).toBe(
      `${PREFIX} 403, RequestID: , AccessDeniedException: Untrusted Signing Certificate (no intermediate certificates were sent: the certificate file ` +
        'holds 2 more certificates after the first, which certificate does not send: give the file as intermediates too)',
    );
  });

  it('says nothing of intermediates when a chain was sent (mutation QA)', async () => {
    expect((await refusal(403, 'Untrusted Signing Certificate', [intermediate], 2)).message).toBe(`${PREFIX} 403, RequestID: , AccessDeniedException: Untrusted Signing Certificate`);
  });

  it('counts the chain among what made the headers too large when it holds no more certificates than the service takes (mutation QA)', async () => {
    const chain = Array.from({ length: 5 }, () => intermediate);
    const bytes = (Math.ceil(leaf.der.length / 3) + 5 * Math.ceil(intermediate.der.length / 3)) * 4;
    expect((await refusal(431, undefined, chain)).message).toBe(
      `${PREFIX} 431, RequestID: , api error UnknownError: the answer is empty (the request's headers were too large for the endpoint: the certificate and its chain take ${bytes} bytes of them, in base64)`,
    );
  });

  it('lets the next Region try after a 403 alone, which may be this Region\'s trust anchor or profile only (mutation QA)', async () => {
    expect((await refusal(403, 'Profile is disabled')).tryNextLink).toBe(true);
    await endpoint!.close();
    expect((await refusal(404, 'Not found')).tryNextLink).toBe(false);
  });
});
