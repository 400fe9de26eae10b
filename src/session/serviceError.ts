/** The error code and message of a non-2xx CreateSession answer, read the way the AWS SDKs read them. */
export interface ServiceErrorDetails {
  readonly code: string;
  readonly message: string;
  readonly requestId: string;
}

/** Codes the CreateSession model declares; others are printed as `api error <Code>`. */
const MODELED_CODES = new Set(['accessdeniedexception', 'resourcenotfoundexception', 'validationexception']);

export function readServiceError(headers: Readonly<Record<string, string>>, body: string): ServiceErrorDetails {
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
  } catch {
    // not JSON: code and message stay unknown
  }
  const field = (...names: string[]) => {
    for (const [key, value] of Object.entries(json)) {
      if (names.includes(key.toLowerCase()) && typeof value === 'string') return value;
    }
    return undefined;
  };
  const rawCode = headers['x-amzn-errortype'] ?? field('code', '__type') ?? 'UnknownError';
  const code = rawCode.split(':')[0]!.replace(/^.*#/, '') || 'UnknownError';
  return {
    code,
    message: field('message') ?? 'UnknownError',
    requestId: headers['x-amzn-requestid'] ?? '',
  };
}

/** `AccessDeniedException: <message>` for modeled codes, `api error <Code>: <message>` for the rest. */
export function formatServiceError(details: ServiceErrorDetails): string {
  const prefix = MODELED_CODES.has(details.code.toLowerCase()) ? details.code : `api error ${details.code}`;
  return `${prefix}: ${details.message}`;
}
