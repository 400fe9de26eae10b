/**
 * A URL (or text meant to be one) fit for a message or a log line: user info (`user:password@`) becomes
 * `***@` whatever it holds (a `/`, `@` or `#` that keeps it from parsing included), and in a pkcs11: URI
 * `pin-value=` hides everything after it (a PIN may hold a raw `&`, so where it ends cannot be known).
 * Every message that shows a URL a user gave (endpoints, proxies, PKCS#11 URIs) goes through here.
 */
export function redactUrl(url: string | URL): string {
  if (url instanceof URL) {
    if (!url.username && !url.password) return url.href;
    url = url.href; // the text rule: a path holding `@` may be the rest of a password the parser cut at `/`
  }
  if (url.startsWith('pkcs11:')) return url.replace(/([?&;]pin-value=)[^]*$/, '$1***');
  // Everything up to the last `@` may be user info: a password can hold `@` and `/`.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, '$1***@');
}
