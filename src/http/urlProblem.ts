const SPACE_OR_CONTROL = /[\s\x00-\x1f\x7f-\x9f]/;
const SPACE_OR_CONTROL_PROBLEM = 'it holds whitespace or a control character';

/**
 * Why the text of an endpoint or proxy URL cannot be used as node's URL parser would read it: whitespace or
 * control characters (which the parser drops, where Go's net/url, the reference's, refuses control
 * characters, and spaces but in a path: a newline from a Secret's file), a backslash (which it takes for a
 * slash, dropping what follows from the host, where Go refuses it), or port 0 (which it keeps, and a
 * connection then goes to the scheme's port). Undefined when none.
 */
export function urlProblem(text: string, url: URL): string | undefined {
  if (SPACE_OR_CONTROL.test(text)) return SPACE_OR_CONTROL_PROBLEM;
  if (text.includes('\\')) return 'it holds a backslash';
  if (url.port === '0') return 'its port 0 is not between 1 and 65535';
  return undefined;
}

/**
 * Why node's URL parser refused a URL's text, where it can say: whitespace or control characters (when it
 * reads without them), a port over 65535, or an IPv6 address with a zone (`[fe80::1%25eth0]`, which Go
 * reads and the parser does not). Undefined when it cannot.
 */
export function unreadableUrlReason(text: string): string | undefined {
  if (URL.canParse(text.replace(new RegExp(SPACE_OR_CONTROL, 'g'), ''))) return SPACE_OR_CONTROL_PROBLEM;
  const authority = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1];
  if (authority === undefined) return undefined;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined && Number(port) > 65535) return `its port ${port} is not between 1 and 65535`;
  if (/^\[[^\]]*%/.test(host)) return 'an IPv6 address with a zone (%) cannot be used';
  return undefined;
}
