import { MalformedResponseError } from '../http/operationCall.js';
import { answeredExpiration, answeredKey } from '../session/answeredCredentials.js';
import { accountOf } from '../session/arn.js';
import { foreignAnswer, NO_MESSAGE, readServiceError } from '../session/serviceError.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import { element, textOf } from './xmlElements.js';

/**
 * The credentials of an AssumeRole answer (STS's query protocol answers in XML:
 * `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>…`); anything missing is an error.
 * STS's documents are flat and small, so the fields are found by name rather than with an XML parser.
 */
export function parseAssumeRoleResponse(body: string, headers: Readonly<Record<string, string>> = {}): TemporaryCredentials {
  // A document cut short (a connection dropped mid-answer) may hold all the fields and still be no answer.
  const response = element(body, 'AssumeRoleResponse');
  if (response === undefined) {
    if (body.includes('AssumeRoleResponse')) throw new MalformedResponseError('the response is cut short (no </AssumeRoleResponse>)');
    // Not STS's (a captive portal's page): it says what it is, as it holds no credentials.
    const foreign = foreignAnswer('STS', headers, body);
    throw new MalformedResponseError(`the response is not an AssumeRole answer${foreign ? `: ${foreign}` : ''}`);
  }
  const credentials = element(response, 'Credentials');
  if (credentials === undefined) throw new MalformedResponseError('the response has no Credentials');
  const text = (name: string): string => {
    const value = textOf(credentials, name);
    if (!value) throw new MalformedResponseError(`the response's Credentials have no ${name}`);
    return value;
  };
  const key = (name: string) => answeredKey(text(name), `the response's Credentials ${name}`);
  const expirationText = text('Expiration');
  const expiration = answeredExpiration(expirationText, "the response's Expiration");
  return {
    accessKeyId: key('AccessKeyId'),
    secretAccessKey: key('SecretAccessKey'),
    sessionToken: key('SessionToken'),
    expiration,
    expirationText,
    accountId: accountOf(textOf(element(response, 'AssumedRoleUser') ?? '', 'Arn')),
  };
}

/**
 * What an STS refusal says: `<ErrorResponse><Error><Code>…</Code><Message>…</Message></Error><RequestId>…`.
 * An answer that is not STS's (a proxy's page, another service's JSON at a wrong --sts-endpoint) gives
 * what it has instead: its `x-amzn-ErrorType`, its JSON `message`, else its first characters.
 */
export function readStsError(headers: Readonly<Record<string, string>>, body: string): { code: string; message: string; requestId: string } {
  const requestId = headers['x-amzn-requestid'] ?? textOf(body, 'RequestId') ?? '';
  const error = element(body, 'Error');
  if (error !== undefined) return { code: textOf(error, 'Code') || 'UnknownError', message: textOf(error, 'Message') || NO_MESSAGE, requestId };
  // Read as a JSON service's refusal is read (CreateSession's); failing that, what the answer says of itself.
  const { code, message } = readServiceError(headers, body, 'STS');
  return { code, message, requestId };
}
