import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sendThroughHandler } from '../../../src/http/requestHandler.js';
import type { SdkHandlerRequest, SdkRequestHandler } from '../../../src/sdkRequestHandler.js';

const request = { method: 'POST', url: new URL('https://rolesanywhere.us-east-1.amazonaws.com/sessions?profileArn=a%3Ab&roleArn=r'), headers: { Host: 'rolesanywhere.us-east-1.amazonaws.com' }, body: '{"durationSeconds":900}' };
const handler = (handle: SdkRequestHandler['handle']): SdkRequestHandler => ({ handle });

describe('sendThroughHandler', () => {
  it("gives the handler the SDK's request fields, the query decoded, and reads a streamed answer with its headers in lower case", async () => {
    let seen: SdkHandlerRequest | undefined;
    const answer = await sendThroughHandler(
      handler(async (sent) => ((seen = sent), { response: { statusCode: 201, headers: { 'X-Amzn-RequestId': 'r1', 'set-cookie': ['a', 'b'] }, body: Readable.from([Buffer.from('{"credentialSet"'), ':[]}']) } })),
      request,
      { timeoutMs: 1_000 },
    );
    expect(seen).toEqual({
      protocol: 'https:',
      hostname: 'rolesanywhere.us-east-1.amazonaws.com',
      path: '/sessions',
      query: { profileArn: 'a:b', roleArn: 'r' },
      method: 'POST',
      headers: { Host: 'rolesanywhere.us-east-1.amazonaws.com', 'Content-Length': '23' },
      body: '{"durationSeconds":900}',
    });
    expect(answer).toEqual({ status: 201, headers: { 'x-amzn-requestid': 'r1', 'set-cookie': 'a, b' }, body: '{"credentialSet":[]}' });
  });

  it('words what went wrong as the helper words it, retryable where its own client would retry', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    expect(await sendThroughHandler(handler(async () => Promise.reject(refused)), request, { timeoutMs: 1_000 })).toEqual({
      failure: 'connect ECONNREFUSED 10.0.0.1:443 (through the requestHandler)',
      retryable: true,
    });
    const hanging = handler(
      (_sent, options) =>
        new Promise((_resolve, reject) => {
          const poll = setInterval(() => options?.abortSignal?.aborted && (clearInterval(poll), reject(new Error('aborted'))), 10);
        }),
    );
    expect(await sendThroughHandler(hanging, request, { timeoutMs: 200 })).toEqual({ failure: 'timed out after 0.2 s waiting for the response (through the requestHandler)', retryable: true });
    const huge = handler(async () => ({ response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.alloc(1024 * 1024 + 1)]) } }));
    expect(await sendThroughHandler(huge, request, { timeoutMs: 1_000 })).toEqual({ failure: 'response larger than 1048576 bytes', retryable: false });
  });
});
