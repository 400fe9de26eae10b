import { validationError } from '../serviceErrors.js';

const DEFAULT_PAGE_SIZE = 50;

/**
 * One page of a list, as the List operations answer (`{ <items>: [...], nextToken? }`): `pageSize` items
 * (default 50) from where `nextToken` left off. The token is the emulator's own (an offset), opaque to clients.
 */
export function page<T>(key: string, items: readonly T[], query: Readonly<Record<string, string>>): Record<string, unknown> {
  const pageSize = query.pageSize === undefined ? DEFAULT_PAGE_SIZE : Number(query.pageSize);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw validationError('pageSize must be a positive integer');
  // A token it gave is the list's name and a positive offset: an empty one, one that decodes to nothing (which
  // would restart the list), or another list's (QA: ListTrustAnchors' was taken by ListProfiles) is refused.
  const given = query.nextToken === undefined ? `${key}:0` : Buffer.from(query.nextToken, 'base64url').toString();
  const offset = given.startsWith(`${key}:`) ? given.slice(key.length + 1) : '';
  if (query.nextToken !== undefined && !/^[1-9]\d*$/.test(offset)) throw validationError(`nextToken is not a token this API gave for ${key}`);
  const start = Number(offset);
  const end = start + pageSize;
  return {
    [key]: items.slice(start, end),
    ...(end < items.length ? { nextToken: Buffer.from(`${key}:${end}`).toString('base64url') } : {}),
  };
}
