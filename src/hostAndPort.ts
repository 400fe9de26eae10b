import { isIP } from 'node:net';

/** An address as a URL's host or a message writes it: an IPv6 one in brackets (`[::1]`: `::1:9911` would run into the port). */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** `127.0.0.1:9911` or `[::1]:9911`. */
export function hostAndPort(address: string, port: number): string {
  return `${urlHost(address)}:${port}`;
}

/** The address of `127.0.0.1:4000` or `[::1]:4000` (as a URL writes it: `[::1]`), a host given with a port; undefined for one without. */
export function addressWithPort(text: string): string | undefined {
  return /^(\[[^\]]*\]|[^:]+):\d+$/.exec(text)?.[1];
}

/**
 * An IP address in its canonical spelling (`0:0::1` is `::1`), an IPv4-mapped one as the
 * IPv4 address it maps: one spelling for each address, to compare.
 */
export function canonicalAddress(address: string): string {
  // One with a zone (`fe80::1%lo`) is left as it is: no URL holds one, and its callers refuse it.
  const canonical = isIP(address) === 6 && !address.includes('%') ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
  return mappedIpv4(canonical) ?? canonical;
}

/** The IPv4 address of an IPv4-mapped IPv6 one (`::ffff:127.0.0.1` or `::ffff:7f00:1`); undefined for any other. */
function mappedIpv4(address: string): string | undefined {
  const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!mapped) return undefined;
  if (mapped[1]) return isIP(mapped[1]) === 4 ? mapped[1] : undefined;
  const [high, low] = [parseInt(mapped[2]!, 16), parseInt(mapped[3]!, 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
