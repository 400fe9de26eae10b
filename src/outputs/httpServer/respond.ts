import type { IncomingMessage, ServerResponse } from 'node:http';

/** Writes a whole answer: status, Content-Type, Content-Length, any extra headers, the body. */
export function respond(res: ServerResponse, status: number, contentType: string, body: string, extraHeaders?: Record<string, string>): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...extraHeaders });
  res.end(body);
}

/**
 * The request's path without its query, with runs of slashes as one (`//latest/...` is what an SDK asks for
 * when its endpoint was given with a trailing slash) and without a trailing slash (`/role/name/` is
 * `/role/name`).
 */
export function requestPath(req: IncomingMessage): string {
  let path = req.url ?? '/';
  const query = path.indexOf('?');
  if (query !== -1) path = path.slice(0, query);
  if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
