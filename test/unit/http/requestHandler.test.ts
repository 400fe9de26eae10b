import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sendThroughHandler } from '../../../src/http/requestHandler.js';
import { StopSignal } from '../../../src/http/stopSignal.js';
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
    // A reset connection, as the helper's own client retries it (mutation review: ECONNRESET left out of the retryable codes passed every test).
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    expect(await sendThroughHandler(handler(async () => Promise.reject(reset)), request, { timeoutMs: 1_000 })).toEqual({ failure: 'read ECONNRESET (through the requestHandler)', retryable: true });
    const hanging = handler(
      (_sent, options) =>
        new Promise((_resolve, reject) => {
          const poll = setInterval(() => options?.abortSignal?.aborted && (clearInterval(poll), reject(new Error('aborted'))), 10);
        }),
    );
    const timedOut = { failure: 'timed out after 0.2 s waiting for the response (through the requestHandler)', retryable: true };
    expect(await sendThroughHandler(hanging, request, { timeoutMs: 200 })).toEqual(timedOut);
    // One that never heeds its abortSignal (a wrapper that drops the options) is not waited for either (review).
    expect(await sendThroughHandler(handler(() => new Promise(() => {})), request, { timeoutMs: 200 })).toEqual(timedOut);
    // A redirect's later hop, given what is left of the attempt, names the attempt's timeout (QA: "0 s").
    expect(await sendThroughHandler(hanging, request, { timeoutMs: 50, statedTimeoutMs: 200 })).toEqual(timedOut);
    // Its own timeout in its own words (review: said to be the helper's 10 s), retried.
    const ownTimeout = Object.assign(new Error('Connection timed out after 300 ms'), { name: 'TimeoutError' });
    expect(await sendThroughHandler(handler(async () => Promise.reject(ownTimeout)), request, { timeoutMs: 1_000 })).toEqual({
      failure: 'Connection timed out after 300 ms (through the requestHandler)',
      retryable: true,
    });
    // fetch's refusal, its code on the cause; and what is no Error at all.
    const fetchFailed = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(await sendThroughHandler(handler(async () => Promise.reject(fetchFailed)), request, { timeoutMs: 1_000 })).toEqual({ failure: 'fetch failed (through the requestHandler)', retryable: true });
    expect(await sendThroughHandler(handler(async () => Promise.reject(undefined)), request, { timeoutMs: 1_000 })).toEqual({ failure: 'network error (through the requestHandler)', retryable: false });
    expect(await sendThroughHandler(handler(async () => Promise.reject('boom')), request, { timeoutMs: 1_000 })).toEqual({ failure: 'boom (through the requestHandler)', retryable: false });
    const huge = handler(async () => ({ response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.alloc(1024 * 1024 + 1)]) } }));
    expect(await sendThroughHandler(huge, request, { timeoutMs: 1_000 })).toEqual({ failure: 'response larger than 1048576 bytes', retryable: false });
  });

  it('sends nothing once the session has closed, and stops one under way that does not heed its signal (review)', async () => {
    const closing = new StopSignal();
    closing.stop('the session was closed');
    let calls = 0;
    const counting = handler(async () => (calls++, { response: { statusCode: 201, headers: {}, body: '' } }));
    expect(await sendThroughHandler(counting, request, { timeoutMs: 1_000, signal: closing })).toEqual({ failure: 'stopped waiting for the response: the session was closed', retryable: false });
    expect(calls).toBe(0);
    const later = new StopSignal();
    const pending = sendThroughHandler(handler(() => new Promise(() => {})), request, { timeoutMs: 10_000, signal: later });
    setTimeout(() => later.stop('the session was closed'), 50);
    expect(await pending).toEqual({ failure: 'stopped waiting for the response: the session was closed', retryable: false });
  });

  it('gives an IPv6 host in brackets, as the SDK does, and a repeated query key as an array', async () => {
    let seen: SdkHandlerRequest | undefined;
    const v6 = { ...request, url: new URL('http://[::1]:8080/sessions?a=1&a=2&b=x') };
    await sendThroughHandler(handler(async (sent) => ((seen = sent), { response: { statusCode: 200, headers: {} } })), v6, { timeoutMs: 1_000 });
    expect(seen).toMatchObject({ hostname: '[::1]', port: 8080, query: { a: ['1', '2'], b: 'x' } });
  });
});
