import type { Agent } from 'node:http';
import { isIP } from 'node:net';
import { debug } from '../log/logger.js';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/**
 * The agent that sends a request through the proxy HTTPS_PROXY / HTTP_PROXY / ALL_PROXY name for its URL,
 * honouring NO_PROXY; undefined for a direct connection. Loopback hosts are never proxied (as in Go, and so
 * as in the reference). Proxies are honoured with or without --with-proxy, as the reference does.
 * The proxy libraries are loaded only when a proxy variable is set.
 */
export async function proxyAgentFor(url: URL): Promise<Agent | undefined> {
  if (!PROXY_VARIABLES.some((name) => process.env[name])) return undefined;
  if (isLoopback(url.hostname)) return undefined;
  const { getProxyForUrl } = await import('proxy-from-env');
  const proxy = getProxyForUrl(url.href);
  if (!proxy) return undefined;
  debug(() => `sending through proxy ${redactUserInfo(proxy)}`);
  if (url.protocol === 'https:') {
    const { HttpsProxyAgent } = await import('https-proxy-agent');
    return new HttpsProxyAgent(proxy);
  }
  const { HttpProxyAgent } = await import('http-proxy-agent');
  return new HttpProxyAgent(proxy);
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
