/** The names a client on this machine reaches a loopback server by. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Which Host headers a local server answers: 127.0.0.1, localhost and [::1], and the address it is bound
 * to, with any port. A web page that rebinds its own name to 127.0.0.1 (DNS rebinding) sends that name,
 * and gets a 400 instead of a token and credentials. Returns the check and a text listing the names.
 */
export function hostHeaderCheck(bindAddress: string): { allowed(host: string | undefined): boolean; names: string } {
  const bound = bindAddress.includes(':') ? `[${bindAddress.toLowerCase()}]` : bindAddress.toLowerCase();
  const names = [...new Set([...LOOPBACK_HOSTS, bound])];
  return {
    allowed: (host) => host !== undefined && names.includes(hostName(host.toLowerCase())),
    names: `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`,
  };
}

/** `name` of `name` or `name:port` (`[v6]` or `[v6]:port`); '' when the port is not a port. */
function hostName(host: string): string {
  const colon = host.lastIndexOf(':');
  if (colon === -1 || host.endsWith(']')) return host;
  const port = host.slice(colon + 1);
  return port.length > 0 && port.length <= 5 && [...port].every((c) => c >= '0' && c <= '9') ? host.slice(0, colon) : '';
}
