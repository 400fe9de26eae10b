import { hostAndPort } from './hostAndPort.js';

/**
 * What Node.js's permission model (--permission, in NODE_OPTIONS) refused, as a message says it: for the file
 * system, the path (unless `pathShown` is false: it may be a secret) and the --allow-fs-read or
 * --allow-fs-write that allows it, which Node's own message names neither of before Node 24 (QA: `update` said
 * only "Access to this API has been restricted"); for anything else (a program run), Node's message.
 */
export function permissionDenied(error: Error & { permission?: unknown; resource?: unknown }, pathShown = true): string {
  const { permission, resource } = error;
  const fs = permission === 'FileSystemRead' ? 'read' : permission === 'FileSystemWrite' ? 'write' : undefined;
  if (!fs) return `Node's --permission denies it: ${error.message}`;
  return `Node's --permission denies it${pathShown && typeof resource === 'string' ? ` (${resource})` : ''}: allow it with --allow-fs-${fs}`;
}

/**
 * Deno's refusal to listen on an address (run without --allow-net for it) as listen's error, which its node:net
 * throws where nothing can catch it: an uncaught exception and its stack trace (QA: serve with --allow-net for
 * the endpoint only). Asked as listening asks it, at a prompt on a terminal; undefined where it is allowed, and on Node and Bun.
 */
export function denoListenRefusal(address: string, port: number): NodeJS.ErrnoException | undefined {
  const host = hostAndPort(address, port);
  const deno = (globalThis as { Deno?: { permissions: { requestSync(descriptor: { name: 'net'; host: string }): { state: string } } } }).Deno;
  if (deno?.permissions.requestSync({ name: 'net', host }).state === 'denied') {
    return Object.assign(new Error(`Requires net access to "${host}", run again with the --allow-net flag`), { syscall: 'listen' });
  }
}
