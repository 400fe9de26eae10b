import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The reference captures in ../shared/reference/vectors (beside the project, in CI too). */
const vectorsDir = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/reference/vectors');

export function vectorPath(name: string): string {
  return join(vectorsDir, name);
}

export function readVector(name: string): Buffer {
  return readFileSync(vectorPath(name));
}

export interface CapturedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

/** Parses a raw HTTP/1.1 request capture (CRLF line ends). */
export function parseRawRequest(raw: string): CapturedRequest {
  const [head, body = ''] = raw.split('\r\n\r\n');
  const [requestLine, ...headerLines] = head!.split('\r\n');
  const [method, target] = requestLine!.split(' ');
  const url = new URL(target!, 'http://placeholder');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return { method: method!, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body };
}
