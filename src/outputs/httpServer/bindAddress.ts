import { isIP } from 'node:net';
import { canonicalAddress } from '../../hostAndPort.js';
import { isLoopbackAddress } from '../../http/loopback.js';

/** Where a local server listens, from `serve --bind`. */
export interface BindAddress {
  /** The addresses listened on, on one port: the one given, or 127.0.0.1 and ::1 for `localhost`. */
  readonly addresses: readonly string[];
  /** Those the machine may lack: `localhost`'s ::1, where IPv6 is off (a container's network, often). */
  readonly optional?: readonly string[];
  /** Only processes on this machine (or in this network namespace: a pod) can connect. */
  readonly loopback: boolean;
  /** Every address of the machine (0.0.0.0 or ::). */
  readonly wildcard: boolean;
}

/**
 * Why a text is no bind address: not an IP address at all; an address with a port (`withPort` is the
 * address); an IPv6 address with a zone (`fe80::1%eth0`: `zone` is `%eth0`), which is link-local.
 */
export type NotBindAddress = { readonly notAnAddress: true } | { readonly withPort: string } | { readonly zone: string };

/**
 * An IP address (its canonical spelling; an IPv6 one in brackets or not), or `localhost` for both loopback addresses, as a name resolves to
 * one of them only and SDKs ask for either; else why the text is none (a host name is not resolved: what
 * it names could change under a running server). An IPv6 address with a zone (`fe80::1%eth0`) is refused:
 * the SDKs send credentials over plain HTTP to none of those link-local addresses.
 */
export function bindAddress(text: string): BindAddress | NotBindAddress {
  if (text.toLowerCase() === 'localhost') return { addresses: ['127.0.0.1', '::1'], optional: ['::1'], loopback: true, wildcard: false };
  // An IPv6 address may be given in brackets, as a URL writes it (`[::1]`).
  const inBrackets = /^\[(.*)\]$/.exec(text)?.[1];
  const given = inBrackets !== undefined && isIP(inBrackets) === 6 ? inBrackets : text;
  const family = isIP(given);
  if (family === 0) {
    // `127.0.0.1:9912`, as AWS_CONTAINER_CREDENTIALS_FULL_URI writes it (QA: told it must be an address of this machine).
    const address = /^(.+):\d+$/.exec(text)?.[1];
    const bare = address?.replace(/^\[(.*)\]$/, '$1');
    return bare !== undefined && (isIP(bare) !== 0 || bare.toLowerCase() === 'localhost') ? { withPort: address! } : { notAnAddress: true };
  }
  const zone = given.indexOf('%');
  if (zone !== -1) return { zone: given.slice(zone) };
  // An IPv4-mapped address is the IPv4 address it maps (where a socket bound to it receives): served and
  // advertised as that, which every SDK takes (the AWS CLI refuses the host ::ffff:7f00:1).
  const address = canonicalAddress(given);
  return {
    addresses: [address],
    loopback: isLoopbackAddress(address),
    wildcard: isWildcardAddress(address),
  };
}

/** Whether an address (canonical, as bindAddress gives it) is every address of the machine: 0.0.0.0 or ::. */
export function isWildcardAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
