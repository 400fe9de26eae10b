import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { canonicalAddress, urlHost } from '../../hostAndPort.js';
import { isWildcardAddress } from './bindAddress.js';

/** The names a client on this machine reaches a loopback server by. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The addresses clients know the service by, which a firewall rule may send to the server (iptables
 * redirecting 169.254.169.254:80 for programs that cannot be told another endpoint): address literals,
 * which no name can be rebound to, so answering them opens nothing to DNS rebinding.
 */
export const IMDS_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254'];
/** ECS's and EKS Pod Identity's agent addresses: with the loopback ones, the only hosts the SDKs ask over plain HTTP (README, "Clients"). */
export const CONTAINER_ADDRESSES = ['169.254.170.2', '169.254.170.23', 'fd00:ec2::23'];

/**
 * Which Host headers a local server answers: 127.0.0.1, localhost and [::1], the service's own addresses
 * (`serviceAddresses`: IMDS_ADDRESSES or CONTAINER_ADDRESSES), and the addresses it is bound
 * to (for 0.0.0.0 or ::, every address of the machine's interfaces, read again, at most once a second, when
 * a Host is not among them: an address added since start, by DHCP say, is answered too), with any port. A
 * web page that rebinds its own name to one of them (DNS rebinding) sends that name, and gets a 400 instead
 * of a token and credentials. An IPv6 address in brackets is taken in its canonical spelling, an IPv4-mapped one as the IPv4 address it maps.
 * `names()` lists the names answered, for the refusal.
 */
export function hostHeaderCheck(
  boundAddresses: readonly string[],
  serviceAddresses: readonly string[],
): { allowed(host: string | undefined): boolean; names(): string } {
  const wildcard = boundAddresses.some(isWildcardAddress);
  const given = boundAddresses.filter((address) => !isWildcardAddress(address));
  const namesNow = () =>
    [...new Set([...LOOPBACK_HOSTS, ...[...serviceAddresses, ...given, ...(wildcard ? interfaceAddresses() : [])].map((address) => urlHost(address.toLowerCase()))])];
  let names = namesNow();
  // On a clock that never steps: one set back would hold off the next read for as long as the step (QA time).
  let readAt = performance.now();
  return {
    allowed: (host) => {
      if (host === undefined) return false;
      const name = hostName(host.toLowerCase());
      // [0:0::1] is [::1] and [::ffff:127.0.0.1] is 127.0.0.1 (a name cannot be rebound to an address literal):
      // botocore and the AWS CLI send the host of AWS_CONTAINER_CREDENTIALS_FULL_URI as it is written there.
      const literal = name.startsWith('[') ? name.slice(1, -1) : '';
      const address = isIP(literal) === 6 ? urlHost(canonicalAddress(literal)) : name;
      if (names.includes(address)) return true;
      if (!wildcard || performance.now() - readAt < 1000) return false;
      names = namesNow();
      readAt = performance.now();
      return names.includes(address);
    },
    names: () => `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`,
  };
}

/** The addresses of this machine's interfaces (without an IPv6 zone, which a Host header cannot carry). */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((address) => address.family === 'IPv4' || !address.address.startsWith('fe80:'))
    .map((address) => address.address);
}

/**
 * `name` of `name` or `name:port` (`[v6]` or `[v6]:port`); '' when the port is not a port. An IPv6 address
 * without brackets (`::1`: the Go SDK v1 drops them with a default port, `http://[::1]:80/`) is `[v6]`.
 */
function hostName(host: string): string {
  const colon = host.lastIndexOf(':');
  if (colon === -1 || host.endsWith(']')) return host;
  if (host.indexOf(':') !== colon && !host.startsWith('[')) return `[${host}]`;
  const port = host.slice(colon + 1);
  return port.length > 0 && port.length <= 5 && [...port].every((c) => c >= '0' && c <= '9') ? host.slice(0, colon) : '';
}
