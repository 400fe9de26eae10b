import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The token a request must carry, compared in constant time: both sides are hashed first, so that neither
 * where they differ nor the token's length shows in how long a refusal takes.
 */
export class ExpectedToken {
  readonly #digest: Buffer;

  constructor(token: string) {
    this.#digest = sha256(token);
  }

  matches(given: string): boolean {
    return timingSafeEqual(sha256(given), this.#digest);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'latin1').digest();
}

/** The longest token read from a file: EKS Pod Identity's are about a kilobyte, and a header must fit in 16 KiB. */
export const MAX_TOKEN_LENGTH = 8192;

/**
 * Why a token cannot go in an Authorization header as every SDK sends it; undefined when it can. A
 * trailing newline is the usual mistake (`echo token > file`): botocore refuses a token with `\r` or `\n`
 * ("Auth token value is not a legal header value"), and Node cannot send one.
 */
export function tokenProblem(token: string): string | undefined {
  if (token === '') return 'it is empty';
  if (token.length > MAX_TOKEN_LENGTH) return `it is longer than ${MAX_TOKEN_LENGTH} characters`;
  const clients = 'which botocore (boto3, the AWS CLI) refuses as "not a legal header value" and the AWS SDK for JavaScript cannot send';
  if (/[\r\n]$/.test(token)) {
    return `it ends with ${token.endsWith('\n') ? 'a newline' : 'a carriage return'}, ${clients}; write the token without one (printf '%s' "$TOKEN" > FILE)`;
  }
  if (/[\r\n]/.test(token)) return `it holds a line break, ${clients}`;
  if (/[^\x20-\x7e]/.test(token)) return `it holds a character other than printable ASCII (${/\t/.test(token) ? 'a tab' : /[\x00-\x1f\x7f]/.test(token) ? 'a control character' : 'one beyond ASCII'}), which an HTTP header does not carry as it is`;
  if (/^ | $/.test(token)) return 'it starts or ends with a space, which HTTP drops from a header value';
  return undefined;
}
