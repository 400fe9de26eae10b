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
