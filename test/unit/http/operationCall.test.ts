import { afterEach, describe, expect, it } from 'vitest';
import { HelperError } from '../../../src/errors.js';
import { callOperation, type Operation, type OperationOptions } from '../../../src/http/operationCall.js';
import { StopSignal } from '../../../src/http/stopSignal.js';
import { testContext } from '../../support/context.js';
import { answering, hanging, refusing, speaking, type FakeEndpoint } from '../../support/fakeEndpoints.js';

class TestError extends HelperError {
  constructor(
    message: string,
    readonly tryNextLink: boolean,
  ) {
    super(message);
  }
}

const OPTIONS: OperationOptions = { transport: { verifyTls: true, timeoutMs: 5_000 }, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, deadlineMs: 30_000 } };

function operation(url: string): Operation<string> {
  return {
    service: 'Test',
    action: 'Call',
    url: new URL(url),
    request: async () => ({ method: 'POST', url: new URL(url), headers: { Host: new URL(url).host }, body: '' }),
    read: (response) => response.body,
    refusal: (response) => ({
      code: response.headers['x-code'] ?? 'UnknownError',
      message: response.headers['x-message'] ?? 'no',
      requestId: 'r',
      text: `refused ${response.status}`,
      tryNextLink: response.status === 403,
    }),
    error: (message, tryNextLink) => new TestError(message, tryNextLink),
  };
}

const failure = (url: string, options = OPTIONS) => callOperation(operation(url), options, testContext()).then(() => expect.unreachable(), (e: unknown) => e as TestError);

let endpoint: FakeEndpoint | undefined;
afterEach(async () => endpoint?.close());

const status = async (code: number, headers: Record<string, string> = {}) => {
  endpoint = await answering((_req, res) => res.writeHead(code, headers).end('no'));
  return endpoint.url;
};

describe('callOperation says whether another Region may do better', () => {
  it('yes for endpoints that refuse connections or have no address, after the retries', async () => {
    const refused = await failure(await refusing());
    expect(refused.message).toMatch(/^operation error Test: Call, exceeded maximum number of attempts, 3, request send failed, Post "http:\/\/127\.0\.0\.1:\d+\/": /);
    expect(refused.tryNextLink).toBe(true);
    const unknownHost = await failure('http://region.test.invalid');
    expect(unknownHost.message).toContain('no such host');
    expect(unknownHost.tryNextLink).toBe(true);
  });

  it('yes for 5xx and throttling after the retries, and for what the operation says of a refusal (here a 403)', async () => {
    expect((await failure(await status(500))).tryNextLink).toBe(true);
    expect(endpoint!.hits()).toBe(3);
    await endpoint!.close();
    expect((await failure(await status(400, { 'x-code': 'ThrottlingException' }))).tryNextLink).toBe(true);
    await endpoint!.close();
    const forbidden = await failure(await status(403));
    expect(forbidden).toMatchObject({ message: 'operation error Test: Call, http response error StatusCode: 403, RequestID: r, refused 403', tryNextLink: true });
    expect(endpoint!.hits()).toBe(1);
  });

  it("adds to a refusal of the request's date how far this machine's clock is from the service's, whatever the operation (QA17)", async () => {
    const date = new Date(Date.now() - 10 * 60_000).toUTCString();
    const skewed = await failure(await status(403, { 'x-message': 'Signature expired: X-Amz-Date is too far from the current time', Date: date }));
    expect(skewed.message).toBe(
      `operation error Test: Call, http response error StatusCode: 403, RequestID: r, refused 403 (this machine's clock is 10 min ahead of the service's, whose answer is dated ${date}: check its time synchronisation)`,
    );
  });

  it('no for other refusals, sent once', async () => {
    expect((await failure(await status(400))).tryNextLink).toBe(false);
    expect(endpoint!.hits()).toBe(1);
  });
});

describe('callOperation with a deadline', () => {
  it('shrinks the attempt timeouts to end by it, and starts no retry with too little time left', async () => {
    endpoint = await hanging();
    const started = Date.now();
    const error = await failure(endpoint.url, { ...OPTIONS, deadline: Date.now() + 1_500 });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(error.message).toMatch(/^operation error Test: Call, request send failed, Post "http:\/\/127\.0\.0\.1:\d+\/": timed out after 1\.\d s waiting for the response$/);
    expect(error.tryNextLink).toBe(true);
    expect(endpoint.hits()).toBe(1);
  });

  it("without one, holds to the retry policy's: a hanging endpoint ends the call by it, attempts included", async () => {
    endpoint = await hanging();
    const started = Date.now();
    const options = { transport: { ...OPTIONS.transport, timeoutMs: 2_000 }, retry: { ...OPTIONS.retry, deadlineMs: 1_500 } };
    const error = await failure(endpoint.url, options);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.message).toMatch(/^operation error Test: Call, request send failed, .*: timed out after 1\.\d s waiting for the response$/);
    expect(endpoint.hits()).toBe(1);
  });

  it('does not count the time spent signing (a PIN or password typed, a touch) against it', async () => {
    endpoint = await answering((_req, res) => setTimeout(() => res.writeHead(200).end('done'), 300));
    const fast = operation(endpoint.url);
    const slowSigning = { ...fast, request: async () => (await new Promise((resolve) => setTimeout(resolve, 2_000)), fast.request()) };
    const options = { ...OPTIONS, retry: { ...OPTIONS.retry, deadlineMs: 1_500 } };
    expect(await callOperation(slowSigning, options, testContext())).toBe('done');
  });

  it('retries while there is time', async () => {
    endpoint = await hanging();
    const options = { transport: { ...OPTIONS.transport, timeoutMs: 500 }, retry: { ...OPTIONS.retry, maxAttempts: 5 }, deadline: Date.now() + 2_000 };
    const error = await failure(endpoint.url, options);
    expect(error.message).toMatch(/gave up after 2 attempts in 1 s, request send failed, .*: timed out after 0\.5 s waiting for the response$/);
    expect(endpoint.hits()).toBe(2);
  });
});

describe('callOperation stopped by its signal (a provider closed)', () => {
  it('stops the attempt under way at once, and tries no other', async () => {
    endpoint = await hanging();
    const closing = new StopSignal();
    const options = { ...OPTIONS, transport: { ...OPTIONS.transport, signal: closing } };
    const started = Date.now();
    const pending = failure(endpoint.url, options);
    setTimeout(() => closing.stop('the session was closed'), 200);
    const error = await pending;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error.message).toMatch(/^operation error Test: Call, request send failed, Post "http:\/\/127\.0\.0\.1:\d+\/": stopped waiting for the response: the session was closed$/);
    // Not the operation's error (a ServiceCallError, which a cache records and a fallback moves on from).
    expect(error).toBeInstanceOf(HelperError);
    expect(error).not.toBeInstanceOf(TestError);
    expect(endpoint.hits()).toBe(1);
  });

  it('ends a wait between attempts, and makes no attempt once stopped', async () => {
    endpoint = await answering((_req, res) => res.writeHead(503).end('no'));
    const closing = new StopSignal();
    const options = { transport: { ...OPTIONS.transport, signal: closing }, retry: { ...OPTIONS.retry, baseDelayMs: 60_000, maxDelayMs: 60_000, deadlineMs: 120_000 } };
    // Stopped once the first retry's wait has begun (the retry is said at debug level just before it).
    const debug = (line: string) => line.includes('retrying in') && setImmediate(() => closing.stop('the session was closed'));
    const context = { ...testContext(), logger: { ...testContext().logger, debug } };
    const started = Date.now();
    const error = await callOperation(operation(endpoint.url), options, context).then(() => expect.unreachable(), (e: unknown) => e as TestError);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error.message).toBe('operation error Test: Call, stopped before attempt 2: the session was closed');
    expect(endpoint.hits()).toBe(1);
    const again = await failure(endpoint.url, options);
    expect(again.message).toBe('operation error Test: Call, stopped before attempt 1: the session was closed');
    expect(endpoint.hits()).toBe(1);
  });
});

describe('callOperation in AWS Lambda', () => {
  const traceHeaderOf = async (env: Record<string, string>) => {
    let header: string | string[] | undefined;
    endpoint = await answering((req, res) => {
      header = req.headers['x-amzn-trace-id'];
      res.writeHead(200).end('ok');
    });
    expect(await callOperation(operation(endpoint.url), OPTIONS, testContext(env))).toBe('ok');
    return header;
  };

  it('sends the function invocation\'s trace ID as X-Amzn-Trace-Id, as the reference and the AWS SDKs do', async () => {
    const traceId = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    expect(await traceHeaderOf({ AWS_LAMBDA_FUNCTION_NAME: 'fn', _X_AMZN_TRACE_ID: traceId })).toBe(traceId);
  });

  it('percent-encodes as the Go SDK does, so that the value cannot break the request', async () => {
    expect(await traceHeaderOf({ AWS_LAMBDA_FUNCTION_NAME: 'fn', _X_AMZN_TRACE_ID: 'Root=a b\r\nX-Injected: 1;ü%41.' })).toBe(
      'Root=a%20b%0D%0AX-Injected:%201;%C3%BC%2541%2E',
    );
  });

  it.each([[{ _X_AMZN_TRACE_ID: 'Root=1-a' }], [{ AWS_LAMBDA_FUNCTION_NAME: 'fn' }], [{ AWS_LAMBDA_FUNCTION_NAME: 'fn', _X_AMZN_TRACE_ID: '' }]])(
    'sends none outside Lambda or without a trace ID (%j)',
    async (env) => {
      expect(await traceHeaderOf(env)).toBeUndefined();
    },
  );
});

describe("callOperation's error message", () => {
  it("is one line with the server's control characters written out, for whoever prints it (the CLI, a library caller)", async () => {
    endpoint = await answering((_req, res) => res.writeHead(403).end());
    const error = await callOperation(
      { ...operation(endpoint.url), refusal: () => ({ code: 'AccessDeniedException', message: 'Untrusted', requestId: 'r', text: 'Untrusted\r\x1b[32mOK\x1b[0m\x07\nsecond line\u009b', tryNextLink: false }) },
      OPTIONS,
      testContext(),
    ).then(() => expect.unreachable(), (e: unknown) => e as TestError);
    expect(error.message).toBe('operation error Test: Call, http response error StatusCode: 403, RequestID: r, Untrusted\\x0d\\x1b[32mOK\\x1b[0m\\x07 second line\\x9b');
  });
});

describe('callOperation with a server that keeps the connection open after its answer', () => {
  it('reads a response whose lines end with a bare LF, and with Content-Length given twice, as Go and curl read it', async () => {
    endpoint = await speaking('HTTP/1.1 201 Created\nContent-Type: application/json\nContent-Length: 11\nContent-Length: 11\n\n{"ok":true}', { keepOpen: true });
    expect(await callOperation(operation(endpoint.url), OPTIONS, testContext())).toBe('{"ok":true}');
  });

  it('reports what is no HTTP response as such at once, not as a timeout', async () => {
    endpoint = await speaking('SSH-2.0-OpenSSH_9.6\r\n', { keepOpen: true });
    const started = Date.now();
    const error = await failure(endpoint.url);
    expect(error.message).toMatch(/^operation error Test: Call, request send failed, Post "http:\/\/127\.0\.0\.1:\d+\/": not an HTTP\/1\.1 response: "SSH-2\.0-OpenSSH_9\.6"$/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(endpoint.hits()).toBe(1);
  });
});

describe('callOperation says where a redirect led when the answer from there refuses the request (QA: unsaid)', () => {
  const ONE_TRY: OperationOptions = { ...OPTIONS, retry: { ...OPTIONS.retry, maxAttempts: 1 } };
  /** An endpoint that sends every request whose URL is a key of `redirects` on, and answers the others with `status`. */
  const redirecting = async (redirects: (base: string) => Record<string, string>, code: number) => {
    const server = await answering((req, res) => {
      const location = redirects(server.url)[req.url!];
      if (location) res.writeHead(307, { Location: location }).end();
      else res.writeHead(code).end('no');
    });
    endpoint = server;
    return server.url;
  };

  it('to another query on the same host and path: the signature covers the query too (review)', async () => {
    const url = await redirecting((base) => ({ '/call?a=1': `${base}/call?a=1&x=1` }), 403);
    expect((await failure(`${url}/call?a=1`, ONE_TRY)).message).toMatch(
      /refused 403 \(after a 307 redirect to http:\/\/127\.0\.0\.1:\d+\/call with another query: the signature holds only for 127\.0\.0\.1:\d+\/call and its query\)$/,
    );
  });

  it('to another path on the same host, and for a 400 too (QA mutation testing)', async () => {
    const url = await redirecting((base) => ({ '/call': `${base}/other` }), 400);
    expect((await failure(`${url}/call`, ONE_TRY)).message).toMatch(
      /refused 400 \(after a 307 redirect to http:\/\/127\.0\.0\.1:\d+\/other: the signature holds only for 127\.0\.0\.1:\d+\/call and its query\)$/,
    );
  });

  it('through another host and back: the hop that left is named, not the last (review)', async () => {
    const url = await redirecting((base) => ({ '/call': `${base.replace('127.0.0.1', 'localhost')}/elsewhere`, '/elsewhere': `${base}/back` }), 401);
    expect((await failure(`${url}/call`, ONE_TRY)).message).toMatch(/refused 401 \(after a 307 redirect to http:\/\/localhost:\d+\/elsewhere: /);
  });

  it('not for a redirect to the very URL signed for (a load balancer\'s), nor for an outage where a redirect led (review)', async () => {
    let hits = 0;
    endpoint = await answering((req, res) => {
      if (hits++ === 0) res.writeHead(307, { Location: req.url! }).end();
      else res.writeHead(403).end('no');
    });
    expect((await failure(`${endpoint.url}/call`, ONE_TRY)).message).toMatch(/refused 403$/);
    expect(hits).toBe(2);
    await endpoint.close();
    const url = await redirecting((base) => ({ '/call': `${base}/busy` }), 503);
    expect((await failure(`${url}/call`, ONE_TRY)).message).toMatch(/refused 503$/);
  });
});
