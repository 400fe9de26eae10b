/** An address as a URL's host or a message writes it: an IPv6 one in brackets (`[::1]`: `::1:9911` would run into the port). */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** `127.0.0.1:9911` or `[::1]:9911`. */
export function hostAndPort(address: string, port: number): string {
  return `${urlHost(address)}:${port}`;
}
