import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackHost } from '../../../src/http/loopback.js';
import { proxyFor } from '../../../src/http/proxy.js';
import { testContext } from '../../support/context.js';

describe('loopback addresses (serve --bind, and hosts never proxied)', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:127.0.0.1', true],
    ['128.0.0.1', false],
    ['::2', false],
    ['::ffff:a01:203', false],
    ['localhost', false],
    ['', false],
  ])('%s: %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  it("a URL's hostname names this machine as localhost or a loopback address, IPv6 in brackets (the plain-HTTP warning, proxies)", () => {
    const hosts = ['http://127.0.0.9:1/', 'http://[::1]:1/', 'http://[::ffff:127.0.0.1]:1/', 'http://localhost:1/', 'http://[::ffff:10.1.2.3]:1/', 'http://example.com/'];
    expect(hosts.map((url) => isLoopbackHost(new URL(url).hostname))).toEqual([true, true, true, true, false, false]);
  });

  it('are never sent through a proxy, in any spelling of theirs, as in Go', () => {
    const context = testContext({ HTTP_PROXY: 'http://proxy.example:3128' });
    for (const url of ['http://127.0.0.9:1/', 'http://[::1]:1/', 'http://[::ffff:127.0.0.1]:1/', 'http://localhost:1/']) {
      expect(proxyFor(new URL(url), context)).toBeUndefined();
    }
    expect(proxyFor(new URL('http://[::ffff:10.1.2.3]:1/'), context)?.url.host).toBe('proxy.example:3128');
  });
});
