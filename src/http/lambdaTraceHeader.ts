import type { Env } from '../context.js';
import type { HttpRequest } from './httpTransport.js';

const HEADER = 'X-Amzn-Trace-Id';

/**
 * The request with AWS Lambda's trace header, when running in Lambda (AWS_LAMBDA_FUNCTION_NAME and
 * _X_AMZN_TRACE_ID set), as the AWS SDKs add it (their recursion detection) and the reference sends it:
 * unsigned, added after signing, its value percent-encoded but for the characters the Go SDK leaves as they are
 * (letters, digits and -=;:+&[]{}"',).
 */
export function withLambdaTraceHeader(request: HttpRequest, env: Env): HttpRequest {
  const traceId = env._X_AMZN_TRACE_ID;
  if (!env.AWS_LAMBDA_FUNCTION_NAME || !traceId) return request;
  const value = traceId.replace(/[^A-Za-z0-9=;:+&[\]{}"',-]/gu, (character) => Buffer.from(character).toString('hex').toUpperCase().replace(/../g, '%$&'));
  return { ...request, headers: { ...request.headers, [HEADER]: value } };
}
