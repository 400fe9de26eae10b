import { describe, expect, it } from 'vitest';
import { bindAddress } from '../../../../src/outputs/httpServer/bindAddress.js';

describe('bindAddress (serve --bind)', () => {
  it.each([
    ['127.0.0.1', ['127.0.0.1'], true, false],
    ['127.0.0.53', ['127.0.0.53'], true, false],
    ['::1', ['::1'], true, false],
    ['[::1]', ['::1'], true, false],
    ['[::]', ['::'], false, true],
    ['0:0:0:0:0:0:0:1', ['::1'], true, false],
    ['::ffff:127.0.0.1', ['127.0.0.1'], true, false],
    ['::FFFF:7f00:2', ['127.0.0.2'], true, false],
    ['0:0:0:0:0:ffff:a01:203', ['10.1.2.3'], false, false],
    ['::ffff:0.0.0.0', ['0.0.0.0'], false, true],
    ['localhost', ['127.0.0.1', '::1'], true, false],
    ['LocalHost', ['127.0.0.1', '::1'], true, false],
    ['10.1.2.3', ['10.1.2.3'], false, false],
    ['FD00:EC2::23', ['fd00:ec2::23'], false, false],
    ['0.0.0.0', ['0.0.0.0'], false, true],
    ['::', ['::'], false, true],
  ])('%s: listens on %j, loopback %s, all addresses %s', (text, addresses, loopback, wildcard) => {
    const optional = text.toLowerCase() === 'localhost' ? { optional: ['::1'] } : {};
    expect(bindAddress(text)).toEqual({ addresses, loopback, wildcard, ...optional });
  });

  it.each([['example.com'], [''], ['example.com:9911'], ['[127.0.0.1]'], ['[::1'], ['256.0.0.1'], ['256.0.0.1:9911'], ['localhost.']])('refuses %j: not an address', (text) => {
    expect(bindAddress(text)).toEqual({ notAnAddress: true });
  });

  it.each([
    ['127.0.0.1:9911', '127.0.0.1'],
    ['[::1]:9911', '[::1]'],
    ['localhost:9911', 'localhost'],
  ])('refuses %j, an address with a port, naming the address (QA: it was told to be an address of this machine)', (text, address) => {
    expect(bindAddress(text)).toEqual({ withPort: address });
  });

  it('refuses a text of many port-like suffixes as no address, in one step (review: it recursed once a suffix, past the stack)', () => {
    expect(bindAddress(`x${':1'.repeat(40_000)}`)).toEqual({ notAnAddress: true });
  });

  it('refuses an IPv6 address with a zone, naming the zone (not "internal error: Invalid URL")', () => {
    expect(bindAddress('fe80::1%eth0')).toEqual({ zone: '%eth0' });
    expect(bindAddress('[fe80::1%eth0]')).toEqual({ zone: '%eth0' });
  });
});
