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
  // In a pkcs11: URI, after any character: a "?" mistyped (`/`, `%3F`) left the PIN in a value (QA).
  if (PKCS11_SCHEME.test(url)) return redactPin(url, ANY_PIN_VALUE);
  // Everything up to the last `@` may be user info: a password can hold `@` and `/`.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, '$1***@');
}

/**
 * A path or other input as given, fit for a message: a pin-value in it hidden as redactUrl hides it, whatever
 * comes before (a pkcs11: URI given where a file belongs, in any case, or with its scheme mistyped), and
 * otherwise unchanged: a file path may hold `@`, which redactUrl would take for user info.
 */
export function redactPin(text: string, pinValue = PKCS11_ANYWHERE.test(text) ? ANY_PIN_VALUE : PIN_VALUE): string {
  const pin = pinValue.exec(text);
  return pin ? `${text.slice(0, pin.index + pin[0].length)}***` : text;
}

const PKCS11_SCHEME = /^pkcs11:/i;
/**
 * A path that holds a pkcs11: URI (`file:pkcs11:token=t/pin-value=…`, the "?" mistyped as "/"): a pin-value
 * after any character is a PIN there (QA); a path without the scheme is left alone (`/keys/pin-value=1.pem`).
 */
const PKCS11_ANYWHERE = /pkcs11:/i;
const ANY_PIN_VALUE = /pin(?:-|%2d)value=/i;
/**
 * Where a pin-value starts, wherever a mistaken URI may put it: in the query, or as a path attribute (first
 * or not), in any case, its `-` percent-encoded or not; the URI is malformed then, but its message still
 * shows it. The scheme is looked for anywhere: a path given as ` pkcs11:pin-value=…` (a blank before it), or
 * `--private-key=pkcs11:pin-value=…` taken as another flag's value, holds the URI after other text (review). (Not `…=)[^]*$` to match the rest too: under /i, V8 compiles `[^]` with the case variants of
 * every character, ~0.2 ms of every credential-process run, which names its files through here.)
 */
const PIN_VALUE = /(?:[?&;:,. +|#]|%3f|%20)pin(?:-|%2d)value=/i;
