import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelperError } from '../../errors.js';

interface SocketTtlAddon {
  setHopLimit(fd: number, hops: number): void;
  getHopLimit(fd: number): number;
}

/**
 * The native addon (native/socket_ttl.c, built by `npm install`) that sets the IP TTL / IPv6 hop limit of a
 * socket: Node has no API for it on TCP sockets.
 */
export function loadSocketTtl(): SocketTtlAddon {
  const here = dirname(fileURLToPath(import.meta.url));
  // From dist/ (the bundle) or src/outputs/imds/ (the sources, under the tests).
  const candidates = [join(here, '../build/Release/socket_ttl.node'), join(here, '../../../build/Release/socket_ttl.node')];
  const path = candidates.find((candidate) => existsSync(candidate));
  if (!path) {
    throw new HelperError(
      '--hop-limit needs the socket_ttl native addon, which is not built: run `npm rebuild` in the helper\'s folder (it needs a C compiler)',
    );
  }
  return createRequire(join(here, 'x.js'))(path) as SocketTtlAddon;
}

/** The file descriptor behind a connected socket (Unix). */
export function socketFd(socket: object): number | undefined {
  const fd = (socket as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}
