import { isIP } from 'node:net';
import { debug } from '../log/logger.js';
import { TransportError } from './transportError.js';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** A forward proxy to send a request through. */
export interface Proxy {
  readonly url: URL;
  /** `Proxy-Authorization` for the user and password in the proxy's URL, if it has them. */
  readonly authorization: string | undefined;
}

/**
 * The proxy HTTPS_PROXY / HTTP_PROXY / ALL_PROXY name for a URL, honouring NO_PROXY; undefined for a direct
 * connection. Loopback hosts are never proxied (as in Go, and so as in the reference). Proxies are honoured
 * with or without --with-proxy, as the reference does. proxy-from-env is loaded only when a variable is set.
 */
export async function proxyFor(url: URL): Promise<Proxy | undefined> {
  if (!PROXY_VARIABLES.some((name) => process.env[name])) return undefined;
  if (isLoopback(url.hostname)) return undefined;
  const { getProxyForUrl } = await import('proxy-from-env');
  const address = getProxyForUrl(url.href);
  if (!address) return undefined;
  // proxy-from-env gives a proxy without a scheme the request's; Go (and so the reference) takes it as http.
  const bare = PROXY_VARIABLES.map((name) => process.env[name]).find((value) => value && address === `${url.protocol}//${value}`);
  let proxy: URL;
  try {
    proxy = new URL(bare ? `http://${bare}` : address);
  } catch {
    throw new TransportError(`invalid proxy URL ${redactUserInfo(address)}`, false);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new TransportError(`unsupported proxy scheme ${proxy.protocol} in ${redactUserInfo(address)}`, false);
  }
  debug(() => `sending through proxy ${redactUserInfo(address)}`);
  const user = decodeURIComponent(proxy.username);
  const authorization = user || proxy.password
    ? `Basic ${Buffer.from(`${user}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
    : undefined;
  return { url: proxy, authorization };
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function redactUserInfo(proxy: string): string {
  return proxy.replace(/\/\/[^@/]*@/, '//***@');
}
