import { BlockList, isIP } from 'node:net';
import type { Context, Env } from '../context.js';
import { HelperError } from '../errors.js';
import { redactUrl } from '../log/redactUrl.js';
import { bareHostname, isLoopbackHost } from './loopback.js';
import { TransportError } from './transportError.js';
import { unreadableUrlReason, urlProblem } from './urlProblem.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** A forward proxy to send a request through. */
export interface Proxy {
  readonly url: URL;
  /** `Proxy-Authorization` for the user and password in the proxy's URL, if it has them. */
  readonly authorization: string | undefined;
  /** The variable that names it (HTTPS_PROXY, https_proxy, ...), for messages. */
  readonly variable: string;
}

/**
 * The proxy that HTTPS_PROXY / HTTP_PROXY name for a URL, honouring NO_PROXY, as Go's httpproxy reads them
 * (and so the reference): the upper-case name first, ALL_PROXY not read, HTTP_PROXY refused in a CGI
 * program; undefined for a direct connection. Loopback hosts are never proxied. Proxies are honoured with or
 * without --with-proxy, as the reference does. (Written here rather than taken from proxy-from-env, which reads process.env only, where
 * a library caller passes an environment of their own, and follows curl's rules rather than Go's.)
 */
export function proxyFor(url: URL, { env, logger }: Context): Proxy | undefined {
  const proxy = configuredProxy(url, env);
  if (proxy) logger.debug(`sending through proxy ${redactUrl(proxy.url)}`);
  return proxy;
}

/**
 * Checks the proxy settings that requests to these URLs would use, so that one that cannot be used is
 * reported before anything is opened (a key, a PIN prompt) or sent: a HelperError naming the variable.
 */
export function checkProxySettings(urls: Iterable<URL>, env: Env): void {
  for (const url of urls) {
    try {
      configuredProxy(url, env);
    } catch (error) {
      const setting = proxySetting(url, env)!;
      throw new HelperError(`unable to use the proxy that ${setting.name} names: ${(error as Error).message}`);
    }
  }
}

/**
 * Whether a request to the URL speaks TLS: to an https endpoint, or to an https proxy (which an http
 * endpoint's request goes through in TLS too). The settings are those checkProxySettings has checked.
 */
export function sendsOverTls(url: URL, env: Env): boolean {
  return url.protocol === 'https:' || configuredProxy(url, env)?.url.protocol === 'https:';
}

/** The proxy for a URL, as proxyFor says; a TransportError for a proxy URL that cannot be used. */
function configuredProxy(url: URL, env: Env): Proxy | undefined {
  const setting = proxySetting(url, env);
  if (!setting) return undefined;
  // Go refuses it whatever the host, NO_PROXY and loopback being looked at after (golang.org/s/cgihttpproxy).
  if (url.protocol === 'http:' && env.REQUEST_METHOD) {
    throw new TransportError("REQUEST_METHOD is set, as in a CGI program, where a request's Proxy header becomes HTTP_PROXY (httpoxy): it is not used for http (unset REQUEST_METHOD, or use an https endpoint)", false);
  }
  if (isLoopbackHost(url.hostname) || !shouldProxy(url, variable(env, 'no_proxy')?.value ?? '')) return undefined;
  // A proxy given without a scheme is an http proxy, as Go (and so the reference) takes it.
  const address = setting.value.includes('://') ? setting.value : `http://${setting.value}`;
  // Quoted where it holds whitespace, which would not show (a trailing newline reads as a space).
  const shown = /\s/.test(address) ? JSON.stringify(redactUrl(address)) : redactUrl(address);
  let proxy: URL;
  try {
    proxy = new URL(address);
  } catch {
    // With user info, the usual cause: a / ? # or \ in the password ends the host early (`user:pa/ss@host`),
    // which is so when the URL without it reads.
    const reason = address.includes('@') && URL.canParse(address.replace(/\/\/.*@/, '//'))
      ? 'it cannot be read as a URL (a user or password holding /, ?, #, \\ or @ must have it percent-encoded: %2F, %3F, %23, %5C, %40)'
      : (unreadableUrlReason(address) ?? 'it cannot be read as a URL');
    throw new TransportError(`invalid proxy URL ${shown}: ${reason}`, false);
  }
  const problem = urlProblem(address, proxy);
  if (problem) throw new TransportError(`invalid proxy URL ${shown}: ${problem}`, false);
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new TransportError(`unsupported proxy scheme ${proxy.protocol} in ${redactUrl(address)}`, false);
  }
  // A path is a sign of a URL not read as meant (`user:pa@ss/word@host` is user:pa at host ss).
  if (proxy.pathname.length > 1 || proxy.search || proxy.hash) {
    throw new TransportError(`invalid proxy URL ${redactUrl(address)}: it must not have a path, query or fragment`, false);
  }
  const user = percentDecoded(proxy.username);
  const password = percentDecoded(proxy.password);
  if (!user || !password) {
    throw new TransportError(`invalid proxy URL ${redactUrl(address)}: its user or password holds a % not followed by two hexadecimal digits (write % as %25)`, false);
  }
  const authorization = user.length || password.length ? `Basic ${Buffer.concat([user, Buffer.from(':'), password]).toString('base64')}` : undefined;
  return { url: proxy, authorization, variable: setting.name };
}

/**
 * A URL's user or password as bytes, its %XX escapes decoded as Go decodes them: to bytes, UTF-8 or not
 * (`%E9`, a Latin-1 é); undefined for a % that is no escape. (URL keeps user info percent-encoded, every
 * character beyond ASCII included, so each other character is one byte.)
 */
function percentDecoded(text: string): Buffer | undefined {
  if (/%(?![0-9a-f]{2})/i.test(text)) return undefined;
  return Buffer.from(text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

/** The variable that names the proxy for the URL's scheme (https: HTTPS_PROXY, http: HTTP_PROXY), and its value. */
function proxySetting(url: URL, env: Env): { name: string; value: string } | undefined {
  return variable(env, `${url.protocol.slice(0, -1)}_proxy`);
}

/** HTTPS_PROXY or https_proxy: the upper-case name first, as Go reads them. */
function variable(env: Env, name: string): { name: string; value: string } | undefined {
  for (const spelling of [name.toUpperCase(), name.toLowerCase()]) {
    const value = env[spelling];
    if (value) return { name: spelling, value };
  }
  return undefined;
}

/**
 * NO_PROXY as Go reads it: `*`, or a comma-separated list whose entries, each optionally with a port, are
 * a domain (matching itself and its subdomains), `.domain` or `*.domain` (its subdomains only), an IP
 * address (IPv6 bare or in brackets) or a CIDR range (matching IP addresses only).
 */
function shouldProxy(url: URL, noProxy: string): boolean {
  const host = bareHostname(url.hostname).toLowerCase();
  const port = String(Number(url.port) || DEFAULT_PORTS[url.protocol] || 0);
  const hostFamily = ipFamily(host);
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return false;
    if (entry.includes('/')) {
      if (hostFamily && inRange(host, hostFamily, entry)) return false;
      continue;
    }
    const [entryHost, entryPort] = splitHostPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    const entryFamily = ipFamily(entryHost);
    if (entryFamily) {
      if (hostFamily && inRange(host, hostFamily, `${entryHost}/${entryFamily === 'ipv4' ? 32 : 128}`)) return false;
      continue;
    }
    const suffix = asciiName(entryHost.startsWith('*.') ? entryHost.slice(1) : entryHost);
    if (suffix.startsWith('.') ? host.endsWith(suffix) : host === suffix || host.endsWith(`.${suffix}`)) return false;
  }
  return true;
}

/**
 * A NO_PROXY name with non-ASCII labels in the punycode form the URL's host name is in (`bücher.example` is
 * `xn--bcher-kva.example`), as Go converts them; a name that has none, or is no host name, as it is.
 */
function asciiName(name: string): string {
  if (!/[^\x00-\x7f]/.test(name)) return name;
  const dot = name.startsWith('.') ? '.' : '';
  try {
    return dot + new URL(`http://${name.slice(dot.length)}`).hostname;
  } catch {
    return name;
  }
}

/**
 * `host:port` or `[v6]:port` apart, as Go's SplitHostPort (an empty port is any port); anything else
 * (a bare IPv6 address, `[v6]` without a port, a name) is all host.
 */
function splitHostPort(entry: string): [string, string | undefined] {
  const withPort = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d*)$/.exec(entry);
  return withPort ? [withPort[1] ?? withPort[2]!, withPort[3] || undefined] : [entry, undefined];
}

/** An IP address's family, as Go's ParseIP reads it: no zone (`fe80::1%eth0` is no address). */
function ipFamily(host: string): 'ipv4' | 'ipv6' | undefined {
  const version = host.includes('%') ? 0 : isIP(host);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/**
 * Whether an IP address is in a CIDR range (false for a range that is not one), as Go's IPNet.Contains: an
 * IPv4 address (or an IPv4-mapped one) is in no IPv6 range but an IPv4-mapped one (`::/0` holds none).
 */
function inRange(address: string, family: 'ipv4' | 'ipv6', cidr: string): boolean {
  const [network, bits] = cidr.split('/') as [string, string];
  const networkFamily = ipFamily(network);
  const prefix = Number(bits);
  if (!networkFamily || !/^\d+$/.test(bits) || prefix > (networkFamily === 'ipv4' ? 32 : 128)) return false;
  // A range of 96 bits or more holds one only where those bits are ::ffff's, as BlockList checks.
  if (networkFamily === 'ipv6' && isIpv4(address, family) && prefix < 96) return false;
  const range = new BlockList();
  range.addSubnet(network, prefix, networkFamily);
  return range.check(address, family);
}

/** An IPv4 address, or an IPv4-mapped IPv6 one (`::ffff:192.0.2.1`), which Go takes for the IPv4 address. */
function isIpv4(address: string, family: 'ipv4' | 'ipv6'): boolean {
  if (family === 'ipv4') return true;
  const mapped = new BlockList();
  mapped.addSubnet('::ffff:0:0', 96, 'ipv6');
  return mapped.check(address, 'ipv6');
}
