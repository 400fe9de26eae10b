import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SocketTtlAddon {
  setHopLimit(fd: number, hops: number): void;
  getHopLimit(fd: number): number;
}

/** The IP TTL a socket gets when nobody sets one (Linux's net.ipv4.ip_default_ttl, and other systems'). */
export const SYSTEM_HOP_LIMIT = 64;

/**
 * The native addon (native/socket_ttl.c) that sets the IP TTL / IPv6 hop limit of a socket: Node has no
 * API for it on TCP sockets. It is built at install when a C toolchain is there; undefined when it is not.
 * Throws Node's ERR_DLOPEN_FAILED for one built for another platform.
 */
export function loadSocketTtl(): SocketTtlAddon | undefined {
  const path = join(helperFolder(), 'build/Release/socket_ttl.node');
  return existsSync(path) ? (createRequire(path)(path) as SocketTtlAddon) : undefined;
}

/**
 * The helper's own folder, where the addon is built: dist/'s parent (the bundles), or the project's (the
 * sources, under the tests: three levels above this file, src/outputs/httpServer/).
 */
export function helperFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return basename(here) === 'dist' ? dirname(here) : join(here, '../../..');
}

/** The file descriptor behind a connected socket (Unix). */
export function socketFd(socket: object): number | undefined {
  const fd = (socket as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}
