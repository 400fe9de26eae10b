import { describe, expect, it, vi } from 'vitest';
import { sendHttpRequest } from '../../../src/http/httpTransport.js';
import { TransportError } from '../../../src/http/transportError.js';
import { testContext } from '../../support/context.js';

// A resolver that does not answer cannot be set up here (the machine's resolv.conf is shared): the
// connection fails as Node's lookup fails then, with getaddrinfo's EAI_AGAIN; and, as under `ulimit -n`,
// as Node's connect fails with no descriptor left (a limit that would fail the test runner too).
const failure = vi.hoisted(() => ({ error: new Error('unset') }));
vi.mock('node:net', async (importOriginal) => {
  const net = await importOriginal<typeof import('node:net')>();
  return {
    ...net,
    connect: vi.fn(() => {
      const socket = new net.Socket();
      process.nextTick(() => socket.emit('error', failure.error));
      return socket;
    }),
  };
});

describe('a DNS lookup that gets no answer', () => {
  it('is said in words, with getaddrinfo\'s own line, and worth retrying (QA: the raw "getaddrinfo EAI_AGAIN")', async () => {
    failure.error = Object.assign(new Error('getaddrinfo EAI_AGAIN ra.example'), { code: 'EAI_AGAIN', syscall: 'getaddrinfo' });
    const sent = sendHttpRequest({ method: 'POST', url: new URL('http://ra.example/sessions'), headers: {}, body: '' }, { verifyTls: true, timeoutMs: 5_000 }, testContext());
    const error = await sent.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ message: 'the host name could not be resolved for now: DNS did not answer (getaddrinfo EAI_AGAIN ra.example)', retryable: true });
  });
});

describe('a connection with no file descriptor left', () => {
  it('is said in words, not as Node\'s "connect EMFILE … - Local (undefined:undefined)" (QA: ulimit -n)', async () => {
    failure.error = Object.assign(new Error('connect EMFILE 127.0.0.1:443 - Local (undefined:undefined)'), { code: 'EMFILE', syscall: 'connect' });
    const sent = sendHttpRequest({ method: 'POST', url: new URL('http://ra.example/sessions'), headers: {}, body: '' }, { verifyTls: true, timeoutMs: 5_000 }, testContext());
    const error = await sent.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ message: 'too many open files (the process or system limit, ulimit -n)', retryable: false });
  });
});

describe('a connection to a network this machine has no route to', () => {
  it('is said in words, without Node\'s "- Local (0.0.0.0:0)", and worth retrying (QA: a network namespace with no route, as a systemd unit with PrivateNetwork=yes has)', async () => {
    failure.error = Object.assign(new Error('connect ENETUNREACH 10.255.255.1:80 - Local (0.0.0.0:0)'), {
      code: 'ENETUNREACH',
      syscall: 'connect',
      address: '10.255.255.1',
      port: 80,
    });
    const sent = sendHttpRequest({ method: 'POST', url: new URL('http://10.255.255.1/sessions'), headers: {}, body: '' }, { verifyTls: true, timeoutMs: 5_000 }, testContext());
    const error = await sent.catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message: 'the network is unreachable: this machine (or its network namespace: a container\'s, a systemd unit\'s with PrivateNetwork=yes) has no route to 10.255.255.1:80 (connect ENETUNREACH)',
      retryable: true,
    });
  });
});
