import { validationError } from '../serviceErrors.js';

const DEFAULT_PAGE_SIZE = 50;

/**
 * One page of a list, as the List operations answer (`{ <items>: [...], nextToken? }`): the details of
 * `pageSize` records (default 50) after the last one the page before gave. The token, opaque to clients, is
 * the list's name and that record's place in the order records were made, so that deleting what has been
 * listed, page by page, skips nothing (QA: with an offset, a teardown left 4 profiles of 10).
 */
export function page<R extends { readonly order: number }>(
  key: string,
  records: readonly R[],
  detail: (record: R) => unknown,
  query: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const pageSize = query.pageSize === undefined ? DEFAULT_PAGE_SIZE : Number(query.pageSize);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw validationError('pageSize must be a positive integer');
  // A token it gave is the list's name and a positive number: an empty one, one that decodes to nothing (which
  // would restart the list), or another list's (QA: ListTrustAnchors' was taken by ListProfiles) is refused.
  const given = query.nextToken === undefined ? undefined : Buffer.from(query.nextToken, 'base64url').toString();
  const after = given?.startsWith(`${key}:`) ? given.slice(key.length + 1) : '';
  if (given !== undefined && !/^[1-9]\d*$/.test(after)) throw validationError(`nextToken is not a token this API gave for ${key}`);
  // Records are listed in the order they were made (a change keeps a record's place).
  const rest = given === undefined ? records : records.filter((record) => record.order > Number(after));
  const items = rest.slice(0, pageSize);
  return {
    [key]: items.map(detail),
    ...(rest.length > pageSize ? { nextToken: Buffer.from(`${key}:${items.at(-1)!.order}`).toString('base64url') } : {}),
  };
}
