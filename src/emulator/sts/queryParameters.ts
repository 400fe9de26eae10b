import type { EmulatorRequest } from '../httpExchange.js';

/** The parameters of a query-protocol request, and the names that came in both the query and the body. */
export interface QueryParameters {
  readonly parameters: URLSearchParams;
  readonly repeated: readonly string[];
}

/**
 * What a query-protocol request asks: on a GET, its query string; on a POST, its query string and its form
 * body together, as STS reads them (botocore's presigned URLs are signed for POST with `Action` in the
 * query). A name in both is reported as repeated, not resolved: the request is refused rather than one
 * value silently acted on while a proxy, a log or the signer's caller read the other.
 */
export function queryParameters(request: EmulatorRequest): QueryParameters {
  const parameters = new URLSearchParams(request.query);
  if (request.method === 'GET') return { parameters, repeated: [] };
  const body = new URLSearchParams(request.body);
  const repeated = [...new Set(body.keys())].filter((name) => parameters.has(name));
  for (const [name, value] of body) parameters.append(name, value);
  return { parameters, repeated };
}

/**
 * A query-protocol list (`Tags.member.2.Key`, `TransitiveTagKeys.member.1`): its members in member order,
 * each with its number and its fields ('' names the value of a member that has no fields).
 */
export function listMembers(params: URLSearchParams, list: string): (readonly [number, Readonly<Record<string, string>>])[] {
  const members = new Map<number, Record<string, string>>();
  const memberName = new RegExp(`^${list}\\.member\\.(\\d+)(?:\\.(\\w+))?$`);
  for (const [name, value] of params) {
    const match = memberName.exec(name);
    if (match) members.set(Number(match[1]), { ...members.get(Number(match[1])), [match[2] ?? '']: value });
  }
  return [...members].sort(([a], [b]) => a - b);
}
