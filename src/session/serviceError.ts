import { cutShort } from '../log/printable.js';
import { redactUrl } from '../log/redactUrl.js';

/** The error code and message of a non-2xx CreateSession answer, read the way the AWS SDKs read them. */
export interface ServiceErrorDetails {
  readonly code: string;
  readonly message: string;
  readonly requestId: string;
}

/** The message of a refusal that gives none, where the SDKs say `UnknownError` again. */
export const NO_MESSAGE = 'the answer gives no message';

/** Codes the CreateSession model declares; others are printed as `api error <Code>`. */
const MODELED_CODES = new Set(['accessdeniedexception', 'resourcenotfoundexception', 'validationexception']);

/**
 * The code and message of a refusal, as the SDKs read them; `service` names the service in the message of an
 * answer that is none of its (foreignAnswer). Where the SDKs print `UnknownError: UnknownError`, the message
 * says what was missing: an empty answer, or JSON without a message.
 */
export function readServiceError(headers: Readonly<Record<string, string>>, body: string, service: string): ServiceErrorDetails {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    json = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    // not JSON: what the answer says of itself stands for the message
  }
  const field = (...names: string[]) => {
    for (const [key, value] of Object.entries(json ?? {})) {
      if (names.includes(key.toLowerCase()) && typeof value === 'string') return value;
    }
    return undefined;
  };
  const rawCode = headers['x-amzn-errortype'] ?? field('code', '__type') ?? 'UnknownError';
  const code = rawCode.split(':')[0]!.replace(/^.*#/, '') || 'UnknownError';
  const message = field('message') ?? (json ? NO_MESSAGE : (foreignAnswer(service, headers, body) ?? 'the answer is empty'));
  return { code, message, requestId: headers['x-amzn-requestid'] ?? '' };
}

/**
 * What an answer that is not the service's says of itself (a firewall's or a proxy's page, a captive portal,
 * a redirect the client does not follow): `the answer is not STS's (a redirect to <Location>, Content-Type
 * text/html): <its first 160 characters>`; undefined when it says nothing at all. Callers give the body only
 * when it is not JSON, which no credentials are sent in; the Location shows no user info.
 */
export function foreignAnswer(service: string, headers: Readonly<Record<string, string>>, body: string): string | undefined {
  const about = [headers.location && `a redirect to ${redactUrl(headers.location)}`, headers['content-type'] && `Content-Type ${headers['content-type']}`].filter(Boolean);
  const text = body.replace(/\s+/g, ' ').trim();
  if (!text && about.length === 0) return undefined;
  const start = cutShort(text, 160);
  return `the answer is not ${service}'s${about.length > 0 ? ` (${about.join(', ')})` : ''}${start ? `: ${start}` : ''}`;
}

/** `AccessDeniedException: <message>` for modeled codes, `api error <Code>: <message>` for the rest. */
export function formatServiceError(details: ServiceErrorDetails): string {
  const prefix = MODELED_CODES.has(details.code.toLowerCase()) ? details.code : `api error ${details.code}`;
  return `${prefix}: ${details.message}`;
}
