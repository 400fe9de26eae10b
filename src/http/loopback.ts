import { BlockList, isIP } from 'node:net';

let loopback: BlockList | undefined;

/**
 * Whether an IP address is a loopback one: 127.0.0.0/8, ::1, or an IPv4-mapped ::ffff:127.x.y.z (the IPv4
 * loopback it maps, as Go's IsLoopback says). Anything that is not an IP address is not.
 */
export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (!loopback) {
    loopback = new BlockList();
    loopback.addSubnet('127.0.0.0', 8, 'ipv4');
    loopback.addAddress('::1', 'ipv6');
  }
  return loopback.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Whether a URL's hostname is this machine's: `localhost` or a loopback address. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bareHostname(hostname);
  return host === 'localhost' || isLoopbackAddress(host);
}

/** A URL's hostname as sockets and address checks take it: an IPv6 address without its brackets. */
export function bareHostname(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}
