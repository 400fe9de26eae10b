/**
 * Why a URL's text, which node's URL parser may refuse without a reason or read as something else, cannot
 * name a server: a port outside 1 to 65535 (the parser takes `:0`, with which a connection would go to the
 * scheme's port), or an IPv6 address with a zone (`[fe80::1%25eth0]`, which Go reads and the parser does
 * not). Undefined when there is no such problem.
 */
export function urlProblem(text: string): string | undefined {
  const authority = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1];
  if (authority === undefined) return undefined;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) return `its port ${port} is not between 1 and 65535`;
  if (/^\[[^\]]*%/.test(host)) return 'an IPv6 address with a zone (%) cannot be used';
  return undefined;
}
