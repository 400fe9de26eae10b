import type { Context } from '../context.js';
import { redactUrl } from '../log/redactUrl.js';
import type { HttpResponse } from './httpResponseReader.js';
import { sendHttpRequest, type HttpRequest, type TransportOptions } from './httpTransport.js';
import { timedOutText } from './failureText.js';
import { TransportError } from './transportError.js';

/** An answer, and the first redirect followed on the way that left the URL signed for (host, path or query), if one did. */
export interface RedirectedResponse extends HttpResponse {
  readonly redirected?: { readonly status: number; readonly url: URL };
}

/** As many as Go's http.Client follows, which the reference sends with. */
const MAX_REDIRECTS = 10;

/**
 * Sends the request and follows the redirects the reference follows, 307 and 308 (Go's client turns a POST
 * redirected otherwise into a GET, which no AWS API answers), up to 10, within the attempt's timeout:
 * each time the same request, sent to the Location with Host naming its host. The signature covers the
 * host and path, so a service elsewhere refuses it. As Go does, Authorization goes on only to the first
 * request's host or its subdomains: a signed CreateSession gets credentials for anyone who sends it within
 * 15 minutes (the skew the service allows its date). So does X-Amz-Security-Token (a chained AssumeRole's
 * session token, part of the credentials), which Go would hand on. A redirect from https to http is refused:
 * it would send the signed request in the clear.
 */
export async function sendFollowingRedirects(request: HttpRequest, options: TransportOptions, context: Context): Promise<RedirectedResponse> {
  const signed = request.url;
  const first = signed.hostname;
  let redirected: RedirectedResponse['redirected'];
  // One attempt's timeout covers its redirects too, as Go's Client.Timeout does: each call ends within its bound.
  const deadline = Date.now() + options.timeoutMs;
  for (let redirects = 0; ; redirects++) {
    const timeoutMs = deadline - Date.now();
    if (timeoutMs <= 0) throw new TransportError(timedOutText(options.timeoutMs, 'following redirects'), true);
    const response = await sendHttpRequest(request, { ...options, timeoutMs, statedTimeoutMs: options.timeoutMs }, context);
    const location = response.headers.location;
    if ((response.status !== 307 && response.status !== 308) || location === undefined) return redirected ? { ...response, redirected } : response;
    const to = URL.canParse(location, request.url) ? new URL(location, request.url) : undefined;
    if (to?.protocol !== 'https:' && to?.protocol !== 'http:') throw new TransportError(`cannot follow a redirect to ${location}`, false);
    if (redirects === MAX_REDIRECTS) throw new TransportError(`stopped after ${MAX_REDIRECTS} redirects`, false);
    if (request.url.protocol === 'https:' && to.protocol === 'http:') throw new TransportError('refused a redirect from https to http: it would send the signed request unencrypted', false);
    context.logger.debug(`following a ${response.status} redirect to ${redactUrl(to)}`);
    // Go's isDomainOrSubdomain (an IPv6 address only the same).
    const sameSite = to.hostname === first || (!to.hostname.includes(':') && to.hostname.endsWith(`.${first}`));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (/^host$/i.test(name)) headers[name] = to.host;
      else if (sameSite || !/^(authorization|x-amz-security-token)$/i.test(name)) headers[name] = value;
    }
    request = { ...request, url: to, headers };
    // The signature covers host, path and query: the first hop that left them is why a refusal may follow.
    if (!redirected && (to.host !== signed.host || to.pathname !== signed.pathname || to.search !== signed.search)) redirected = { status: response.status, url: to };
  }
}
