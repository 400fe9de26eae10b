import type { ServerResponse } from 'node:http';

/** Writes a whole answer: status, Content-Type, Content-Length, any extra headers, the body. */
export function respond(res: ServerResponse, status: number, contentType: string, body: string, extraHeaders?: Record<string, string>): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...extraHeaders });
  res.end(body);
}
