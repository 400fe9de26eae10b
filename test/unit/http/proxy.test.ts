import { describe, expect, it } from 'vitest';
import { proxyFor, sendsOverTls } from '../../../src/http/proxy.js';
import { silentLogger } from '../../../src/log/logger.js';

/** The proxy URL proxyFor picks for a URL with this environment, or 'direct'. */
function routeOf(url: string, env: Record<string, string>): string {
  return proxyFor(new URL(url), { env, logger: silentLogger } as never)?.url.host ?? 'direct';
}

describe('proxyFor reads the proxy variables as Go does (and so the reference)', () => {
  it('takes the upper-case variable before the lower-case one, and the scheme\'s own only', () => {
    expect(routeOf('https://a.example', { HTTPS_PROXY: 'upper:1', https_proxy: 'lower:2' })).toBe('upper:1');
    expect(routeOf('https://a.example', { https_proxy: 'lower:2' })).toBe('lower:2');
    expect(routeOf('https://a.example', { HTTP_PROXY: 'http:3' })).toBe('direct');
    expect(routeOf('http://a.example', { HTTP_PROXY: 'http:3', HTTPS_PROXY: 'upper:1' })).toBe('http:3');
  });

  it('does not read ALL_PROXY, which Go and botocore ignore (desktops set it to SOCKS proxies)', () => {
    expect(routeOf('https://a.example', { ALL_PROXY: 'socks5h://127.0.0.1:1080', all_proxy: 'socks5h://127.0.0.1:1080' })).toBe('direct');
  });

  it('takes NO_PROXY before no_proxy', () => {
    expect(routeOf('https://a.example', { HTTPS_PROXY: 'p:1', NO_PROXY: 'a.example', no_proxy: 'b.example' })).toBe('direct');
    expect(routeOf('https://b.example', { HTTPS_PROXY: 'p:1', NO_PROXY: 'a.example', no_proxy: 'b.example' })).toBe('p:1');
  });

  it.each<[string, string, boolean]>([
    // [NO_PROXY, URL, goes direct]
    ['amazonaws.com', 'https://rolesanywhere.us-east-1.amazonaws.com', true],
    ['amazonaws.com', 'https://amazonaws.com', true],
    ['amazonaws.com', 'https://notamazonaws.com', false],
    ['.amazonaws.com', 'https://rolesanywhere.us-east-1.amazonaws.com', true],
    ['.amazonaws.com', 'https://amazonaws.com', false],
    ['*.amazonaws.com', 'https://sts.amazonaws.com', true],
    ['*.amazonaws.com', 'https://amazonaws.com', false],
    [' Example.COM , other.test ', 'https://api.example.com', true],
    ['example.com:443', 'https://api.example.com', true],
    ['example.com:8443', 'https://api.example.com', false],
    ['example.com:8443', 'https://api.example.com:8443', true],
    ['192.0.2.0/24', 'https://192.0.2.99', true],
    ['192.0.2.0/24', 'https://198.51.100.1', false],
    ['192.0.2.0/24', 'https://host.example', false],
    ['192.0.2.99', 'https://192.0.2.99', true],
    ['192.0.2.99:443', 'https://192.0.2.99', true],
    ['192.0.2.99:80', 'https://192.0.2.99', false],
    ['fd00::99', 'https://[fd00::99]', true],
    ['[fd00::99]:443', 'https://[fd00::99]', true],
    ['fd00::/8', 'https://[fd00::99]', true],
    ['fd00::/8', 'https://[fe80::1]', false],
    // As Go's IPNet.Contains: an IPv4 address, or an IPv4-mapped one, is only in an IPv4 or IPv4-mapped range (envdiff QA).
    ['::/0', 'https://192.0.2.99', false],
    ['::/0', 'https://[::ffff:192.0.2.99]', false],
    ['::/0', 'https://[fd00::99]', true],
    ['::ffff:0:0/95', 'https://192.0.2.99', false],
    // Mutation QA: the bounds of those, none of which a test held.
    ['::ffff:0:0/96', 'https://192.0.2.99', true],
    ['::/96', 'https://192.0.2.99', false],
    ['::/0', 'https://[::1234:5678:9abc]', true], // mapped is ::ffff:0:0/96, not all of ::/80
    ['::ffff:192.0.2.0/120', 'https://192.0.2.99', true],
    ['192.0.2.0/24', 'https://[::ffff:192.0.2.99]', true],
    ['::ffff:192.0.2.99', 'https://192.0.2.99', true],
    ['*example.com', 'https://example.com', false], // only `*.` is a wildcard
    ['[fd00::99]', 'https://[fd00::99]', false], // Go takes `[v6]` without a port for a name
    ['fe80::1%eth0', 'https://[fe80::1]', false], // a zone makes it no address
    ['192.0.2.0/33', 'https://192.0.2.99', false], // a prefix too long for its family is no range, as Go's ParseCIDR says, not a crash (QA mutation testing)
    ['fd00::/129', 'https://[fd00::99]', false],
    ['example.com:', 'https://api.example.com:8443', true], // an empty port is any port
    ['bücher.example', 'https://bücher.example', true], // names in punycode, as Go's idnaASCII gives (QA)
    ['.BÜCHER.example', 'https://shop.bücher.example', true],
    ['*.bücher.example', 'https://xn--bcher-kva.example', false],
    ['xn--bcher-kva.example', 'https://bücher.example', true],
    ['*', 'https://anything.example', true],
    ['', 'https://anything.example', false],
    ['other.test', 'https://anything.example', false],
  ])('NO_PROXY=%j for %s: direct %s', (noProxy, url, direct) => {
    expect(routeOf(url, { HTTPS_PROXY: 'p:1', NO_PROXY: noProxy })).toBe(direct ? 'direct' : 'p:1');
  });

  it('never proxies loopback', () => {
    for (const url of ['https://localhost', 'https://127.0.0.5', 'https://[::1]']) expect(routeOf(url, { HTTPS_PROXY: 'p:1' })).toBe('direct');
  });
});

describe('proxyFor in a CGI program (REQUEST_METHOD set), as Go\'s httpproxy reads it (envdiff QA: the proxy was used)', () => {
  const refusal = "REQUEST_METHOD is set, as in a CGI program, where a request's Proxy header becomes HTTP_PROXY (httpoxy): it is not used for http (unset REQUEST_METHOD, or use an https endpoint)";

  it('refuses HTTP_PROXY or http_proxy for http, whatever the host, as Go refuses it', () => {
    for (const [url, env] of [
      ['http://a.example', { HTTP_PROXY: 'attacker.example:80' }],
      ['http://a.example', { http_proxy: 'p:1' }],
      ['http://a.example', { HTTP_PROXY: 'p:1', NO_PROXY: '*' }],
      ['http://127.0.0.1:8080', { HTTP_PROXY: 'p:1' }],
    ] as const) {
      expect(() => routeOf(url, { ...env, REQUEST_METHOD: 'GET' })).toThrow(refusal);
    }
    // Not retried: no try would find it otherwise (mutation QA: a retryable refusal passed every test).
    expect(() => routeOf('http://a.example', { HTTP_PROXY: 'p:1', REQUEST_METHOD: 'GET' })).toThrow(expect.objectContaining({ retryable: false }));
  });

  it('takes HTTPS_PROXY for https, and no proxy at all as before', () => {
    expect(routeOf('https://a.example', { HTTPS_PROXY: 'p:1', HTTP_PROXY: 'h:2', REQUEST_METHOD: 'GET' })).toBe('p:1');
    expect(routeOf('http://a.example', { HTTPS_PROXY: 'p:1', REQUEST_METHOD: 'GET' })).toBe('direct');
    expect(routeOf('http://a.example', { HTTP_PROXY: 'h:2', REQUEST_METHOD: '' })).toBe('h:2');
  });
});

describe('proxyFor refuses a proxy URL it cannot use', () => {
  it('a user or password with a % that is no escape, without showing them', () => {
    expect(() => routeOf('https://a.example', { HTTPS_PROXY: 'http://me:50%zz@proxy.example:3128' })).toThrow(
      'invalid proxy URL http://***@proxy.example:3128: its user or password holds a % not followed by two hexadecimal digits (write % as %25)',
    );
  });

  it('one that does not parse: blaming the password only where the URL reads without it', () => {
    expect(() => routeOf('https://a.example', { HTTPS_PROXY: 'http://me:pa/ss@proxy.example:3128' })).toThrow(
      'invalid proxy URL http://***@proxy.example:3128: it cannot be read as a URL (a user or password holding /, ?, #, \\ or @ must have it percent-encoded: %2F, %3F, %23, %5C, %40)',
    );
    expect(() => routeOf('https://a.example', { HTTPS_PROXY: 'http://me:pass@proxy^example:3128' })).toThrow(
      /^invalid proxy URL http:\/\/\*\*\*@proxy\^example:3128: it cannot be read as a URL$/,
    );
  });

  it('a port outside 1 to 65535, :0 among them (which would connect to port 80)', () => {
    for (const [given, port] of [['99999', '99999'], ['0', '0'], ['0000', '0']]) {
      expect(() => routeOf('https://a.example', { HTTPS_PROXY: `http://me:pass@proxy.example:${given}` })).toThrow(
        new RegExp(`^invalid proxy URL http://\\*\\*\\*@proxy\\.example:${given}: its port ${port} is not between 1 and 65535$`),
      );
    }
    // QA: a newline (a Secret's file) or a space, which the parser drops, went to port 80 all the same.
    expect(() => routeOf('https://a.example', { HTTPS_PROXY: 'http://proxy.example:0\n' })).toThrow('invalid proxy URL "http://proxy.example:0\\n": it holds whitespace or a control character');
    expect(() => routeOf('https://a.example', { HTTPS_PROXY: ' proxy.example:3128' })).toThrow('it holds whitespace or a control character');
  });
});

describe('proxyFor sends the proxy URL\'s user and password as Go does', () => {
  const authorization = (proxy: string) => proxyFor(new URL('https://a.example'), { env: { HTTPS_PROXY: proxy }, logger: silentLogger } as never)?.authorization;

  it('decodes escapes to bytes, UTF-8 or not', () => {
    expect(authorization('http://me%40corp:s%3Acret@proxy.example')).toBe(`Basic ${Buffer.from('me@corp:s:cret').toString('base64')}`);
    expect(authorization('http://u:p%E9@proxy.example')).toBe(`Basic ${Buffer.from([0x75, 0x3a, 0x70, 0xe9]).toString('base64')}`);
    expect(authorization('http://u:pé@proxy.example')).toBe(`Basic ${Buffer.from('u:pé').toString('base64')}`);
    expect(authorization('http://proxy.example')).toBeUndefined();
    // A password without a user is sent too, as Go sends it (QA mutation testing).
    expect(authorization('http://:s3cret@proxy.example')).toBe(`Basic ${Buffer.from(':s3cret').toString('base64')}`);
  });
});

describe('sendsOverTls, which says whether AWS_CA_BUNDLE is needed', () => {
  it('is true for an https endpoint, and for an http endpoint through an https proxy', () => {
    expect(sendsOverTls(new URL('https://a.example'), {})).toBe(true);
    expect(sendsOverTls(new URL('http://a.example'), {})).toBe(false);
    expect(sendsOverTls(new URL('http://a.example'), { HTTP_PROXY: 'https://proxy.example:3129' })).toBe(true);
    expect(sendsOverTls(new URL('http://a.example'), { HTTP_PROXY: 'proxy.example:3128' })).toBe(false);
    expect(sendsOverTls(new URL('http://a.example'), { HTTP_PROXY: 'https://proxy.example:3129', NO_PROXY: 'a.example' })).toBe(false);
  });
});

