import { MalformedResponseError } from '../http/operationCall.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import { answeredExpiration, answeredKey } from './answeredCredentials.js';
import { accountOf } from './arn.js';
import { foreignAnswer } from './serviceError.js';

/**
 * `credentialSet[0].credentials` of a CreateSession answer; anything missing is an error, never a crash. A
 * body that is not JSON is described by its headers, and by its start when it is markup (a captive
 * portal's page, say), which no credentials begin with.
 */
export function parseCreateSessionResponse(body: string, headers: Readonly<Record<string, string>> = {}): TemporaryCredentials {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // Compressed, which the request did not ask for (no Accept-Encoding): not "cut short?" (QA: a gzip answer).
    const encoding = headers['content-encoding'];
    if (encoding && !/^\s*identity\s*$/i.test(encoding)) {
      throw new MalformedResponseError(`the response body is not JSON: it is encoded (Content-Encoding ${encoding}), which the request did not ask for`);
    }
    const markup = body.trimStart().startsWith('<');
    const type = headers['content-type'];
    // Said to be JSON (or not said), it is most likely the service's answer cut short, which may hold secrets: not shown.
    if (!markup && (!type || /json/i.test(type))) throw new MalformedResponseError(`the response body is not JSON${type ? ` (Content-Type ${type}: cut short?)` : ''}`);
    const foreign = foreignAnswer('Roles Anywhere', headers, markup ? body : '');
    throw new MalformedResponseError(`the response body is not JSON${foreign ? `: ${foreign}` : ''}`);
  }
  const set = (json as { credentialSet?: unknown } | null)?.credentialSet;
  if (!Array.isArray(set) || set.length === 0) {
    throw new MalformedResponseError('unable to obtain temporary security credentials from CreateSession (no credentialSet)');
  }
  const first = set[0] as { credentials?: Record<string, unknown>; assumedRoleUser?: { arn?: unknown } } | null;
  const credentials = first?.credentials;
  if (!credentials || typeof credentials !== 'object') {
    throw new MalformedResponseError('the response has no credentials in credentialSet[0]');
  }
  const text = (name: string): string => {
    const value = credentials[name];
    if (typeof value !== 'string' || value === '') {
      throw new MalformedResponseError(`the response's credentials have no ${name}`);
    }
    return value;
  };
  const key = (name: string) => answeredKey(text(name), `the response's credentials ${name}`);
  const expirationText = text('expiration');
  const expiration = answeredExpiration(expirationText, "the response's credentials expiration");
  return {
    accessKeyId: key('accessKeyId'),
    secretAccessKey: key('secretAccessKey'),
    sessionToken: key('sessionToken'),
    expiration,
    expirationText,
    accountId: accountOf(first?.assumedRoleUser?.arn),
    roleSessionName: sessionNameOf(first?.assumedRoleUser?.arn),
  };
}

/** The session in `arn:aws:sts::123456789012:assumed-role/role/session`, if it is one. */
function sessionNameOf(arn: unknown): string | undefined {
  const resource = typeof arn === 'string' ? arn.split(':').slice(5).join(':') : '';
  return resource.startsWith('assumed-role/') ? resource.split('/')[2] || undefined : undefined;
}

const SECRET_FIELDS = new Set(['secretaccesskey', 'sessiontoken']);

/**
 * The response body for --debug, with every secret key and session token replaced. A body that is not JSON
 * is not shown at all, since nothing can say where secrets would be in it.
 */
export function redactResponseBody(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return `<${Buffer.byteLength(body)} bytes, not JSON>`;
  }
  try {
    return JSON.stringify(json, (key, value: unknown) =>
      SECRET_FIELDS.has(key.toLowerCase()) ? '<redacted>' : value,
    );
  } catch {
    // Nested deeper than a replacer's recursion goes (JSON.parse takes it): fuzzing QA, --debug made a good answer an internal error.
    return `<${Buffer.byteLength(body)} bytes, too deeply nested to show>`;
  }
}
