import type { HttpResponse } from './httpResponseReader.js';

/** The request headers that carry a secret: a chained role's session token, the proxy's user and password. */
const SECRET_HEADERS = new Set(['x-amz-security-token', 'proxy-authorization']);

/**
 * An answer's body without the secrets the request carried. Messages quote what a service says, and a
 * server that echoes the request (a wrong endpoint, a debugging service, a reflecting proxy) would have them
 * print the session token or the proxy's credentials (QA), in a refusal or in a success that is not the
 * service's answer (QA: a 200 text/plain, quoted as foreign).
 */
export function withoutSentSecrets(response: HttpResponse, sent: Readonly<Record<string, string>>): HttpResponse {
  let { body } = response;
  for (const [name, value] of Object.entries(sent)) {
    if (!SECRET_HEADERS.has(name.toLowerCase())) continue;
    // The header's value, and the credentials of `Basic <credentials>` on their own; each as it is, as JSON
    // escapes it with `\/` (PHP's json_encode) and percent-encoded (review: only exact copies were caught).
    for (const secret of [value, value.replace(/^\S+ /, '')]) {
      if (secret.length < 8) continue;
      for (const form of [secret, secret.replaceAll('/', '\\/'), encodeURIComponent(secret)]) body = body.replaceAll(form, '<redacted>');
    }
  }
  return body === response.body ? response : { ...response, body };
}
