import type { IncomingMessage } from 'node:http';

/** The scheme and authority of an absolute-form request target: `http://127.0.0.1:9911` of `http://127.0.0.1:9911/role/x`. */
const ABSOLUTE_FORM = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i;

/**
 * The host a request is for: the authority of an absolute-form target (`GET http://127.0.0.1:9911/role/x`),
 * which a server takes instead of the Host header (RFC 9112 §3.2.2), else the Host header; none for a request
 * with two Host headers, which RFC 9112 §3.2 has refused with a 400, as the reference's Go server does (Node
 * keeps the first).
 */
export function requestHost(req: IncomingMessage): string | undefined {
  if (req.rawHeaders.filter((name, i) => i % 2 === 0 && name.toLowerCase() === 'host').length > 1) return undefined;
  return ABSOLUTE_FORM.exec(req.url ?? '')?.[1] ?? req.headers.host;
}

/**
 * The request's path (that of an absolute-form target too, which servers must accept) without its query,
 * with runs of slashes as one (`//latest/...` is what an SDK asks for when its endpoint was given with a
 * trailing slash) and without a trailing slash (`/role/name/` is `/role/name`).
 */
export function requestPath(req: IncomingMessage): string {
  let path = req.url ?? '/';
  const absolute = ABSOLUTE_FORM.exec(path);
  if (absolute) path = path.slice(absolute[0].length);
  const query = path.indexOf('?');
  if (query !== -1) path = path.slice(0, query);
  if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) return path.slice(0, -1);
  return path || '/';
}
