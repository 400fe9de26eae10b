import type { Context, Env } from '../context.js';
import { HelperError } from '../errors.js';
import { redactUrl } from '../log/redactUrl.js';
import { isLoopbackAddress } from './loopback.js';
import { TransportError } from './transportError.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** A forward proxy to send a request through. */
export interface Proxy {
  readonly url: URL;
  /** `Proxy-Authorization` for the user and password in the proxy's URL, if it has them. */
  readonly authorization: string | undefined;
}

/**
 * The proxy that HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (either case) name for a URL, honouring NO_PROXY;
 * undefined for a direct connection. Loopback hosts are never proxied (as in Go, and so as in the
 * reference). Proxies are honoured with or without --with-proxy, as the reference does.
 *
 * The rules are proxy-from-env's (which the helper used before), written here because that package reads
 * process.env only, and a library caller passes an environment of their own.
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

/** The proxy for a URL, as proxyFor says; a TransportError for a proxy URL that cannot be used. */
function configuredProxy(url: URL, env: Env): Proxy | undefined {
  const setting = proxySetting(url, env);
  if (!setting || isLoopback(url.hostname) || !shouldProxy(url, (variable(env, 'no_proxy')?.value ?? '').toLowerCase())) return undefined;
  // A proxy given without a scheme is an http proxy, as Go (and so the reference) takes it.
  const address = setting.value.includes('://') ? setting.value : `http://${setting.value}`;
  let proxy: URL;
  try {
    proxy = new URL(address);
  } catch {
    throw new TransportError(`invalid proxy URL ${redactUrl(address)}`, false);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new TransportError(`unsupported proxy scheme ${proxy.protocol} in ${redactUrl(address)}`, false);
  }
  // A path is a sign of a URL not read as meant (`user:pa@ss/word@host` is user:pa at host ss).
  if (proxy.pathname.length > 1 || proxy.search || proxy.hash) {
    throw new TransportError(`invalid proxy URL ${redactUrl(address)}: it must not have a path, query or fragment`, false);
  }
  const user = decodeURIComponent(proxy.username);
  const authorization = user || proxy.password
    ? `Basic ${Buffer.from(`${user}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
    : undefined;
  return { url: proxy, authorization };
}

/** The variable that names the proxy for the URL's scheme, and its value. */
function proxySetting(url: URL, env: Env): { name: string; value: string } | undefined {
  return variable(env, `${url.protocol.slice(0, -1)}_proxy`) ?? variable(env, 'all_proxy');
}

/** HTTPS_PROXY or https_proxy: the lower-case name first, as curl and proxy-from-env read them. */
function variable(env: Env, name: string): { name: string; value: string } | undefined {
  for (const spelling of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[spelling];
    if (value) return { name: spelling, value };
  }
  return undefined;
}

/**
 * NO_PROXY: `*`, or a list (commas or spaces) of host names, each optionally with a port; a leading `.` or
 * `*` matches every host that ends with the rest.
 */
function shouldProxy(url: URL, noProxy: string): boolean {
  if (!noProxy) return true;
  if (noProxy === '*') return false;
  const hostname = url.host.replace(/:\d*$/, ''); // brackets of an IPv6 address kept
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  return noProxy.split(/[,\s]/).every((entry) => {
    if (!entry) return true;
    const withPort = /^(.+):(\d+)$/.exec(entry);
    let host = withPort ? withPort[1]! : entry;
    if (withPort && Number(withPort[2]) !== port) return true;
    if (!host.startsWith('.') && !host.startsWith('*')) return hostname !== host;
    if (host.startsWith('*')) host = host.slice(1);
    return !hostname.endsWith(host);
  });
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || isLoopbackAddress(host);
}
