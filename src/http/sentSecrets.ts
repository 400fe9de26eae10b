import type { HttpResponse } from './httpResponseReader.js';

/** The request headers that carry a secret: a chained role's session token, the proxy's user and password. */
const SECRET_HEADERS = new Set(['x-amz-security-token', 'proxy-authorization']);

/**
 * An answer's body and Location without the secrets the request carried. Messages quote what a service says,
 * and a server that echoes the request (a wrong endpoint, a debugging service, a reflecting proxy) would have
 * them print the session token or the proxy's credentials (QA), in a refusal or in a success that is not the
 * service's answer (QA: a 200 text/plain, quoted as foreign), or in the redirect they name (QA: a Location
 * holding the request).
 */
export function withoutSentSecrets(response: HttpResponse, sent: Readonly<Record<string, string>>): HttpResponse {
  const secrets = sentSecrets(sent);
  const body = without(response.body, secrets);
  const { location } = response.headers;
  const headers = location === undefined ? response.headers : { ...response.headers, location: without(location, secrets) };
  if (body === response.body && headers.location === location) return response;
  return { ...response, headers, body };
}

function sentSecrets(sent: Readonly<Record<string, string>>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(sent)) {
    const header = name.toLowerCase();
    // The header's value, and the credentials of `Basic <credentials>` on their own.
    if (SECRET_HEADERS.has(header)) secrets.push(value, value.replace(/^\S+ /, ''));
    // The signature: with the rest of the request, which an echo quotes in the same line, a reader of the
    // log sends it again, and a CreateSession so replayed within the service's 15 minutes issues credentials
    // (QA: quoted in full from a JSON refusal's message at the default log level; --debug hides it too).
    if (header === 'authorization') secrets.push(/Signature=([^,\s]+)/.exec(value)?.[1] ?? '');
  }
  return secrets.filter((secret) => secret.length >= 8);
}

/** The text with each secret blanked as it is, as JSON escapes it with `\/` (PHP's json_encode) and percent-encoded (review: only exact copies were caught). */
function without(text: string, secrets: readonly string[]): string {
  for (const secret of secrets) {
    for (const form of [secret, secret.replaceAll('/', '\\/'), encodeURIComponent(secret)]) text = text.replaceAll(form, '<redacted>');
  }
  return text;
}
