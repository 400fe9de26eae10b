import type { Arn } from './arn.js';

/** IAM's rule for role names: 1 to 64 of ASCII letters, digits and +=,.@_-. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM's rule for paths: `/`, or `/…/` of printable ASCII (no space), at most 512 characters. */
const ROLE_PATH = /^\/(?:[\x21-\x7e]+\/)?$/;
const MAX_PATH = 512;
/** The longest role ARN STS takes (AssumeRole's RoleArn: 20 to 2048 characters; a 12-digit account makes 20 the least anyway). */
export const MAX_ROLE_ARN = 2048;

/**
 * Why a role ARN (`arn:<partition>:iam::<account>:role/<path><name>`, of the role kind already) can name no
 * IAM role, or undefined. No such role exists, so CreateSession and STS could only refuse it, after the key
 * has signed a request.
 */
export function roleArnProblem(arn: Arn): string | undefined {
  // IAM is global: its ARNs name no Region (QA: `arn:aws:iam:us-east-1:…` was signed and sent, and refused).
  if (arn.region !== '') return `it names the Region "${arn.region}", which a role ARN, IAM's, never does (arn:<partition>:iam::<account>:role/<name>)`;
  if (!/^\d{12}$/.test(arn.accountId)) return `its account "${arn.accountId}" is not the 12 digits of an AWS account`;
  const pathAndName = arn.resource.slice('role'.length);
  const path = pathAndName.slice(0, pathAndName.lastIndexOf('/') + 1);
  const name = pathAndName.slice(path.length);
  if (!ROLE_NAME.test(name)) return `its role name "${name}" is not 1 to 64 ASCII letters, digits and +=,.@_- (IAM's rule for role names)`;
  if (path.length > MAX_PATH || !ROLE_PATH.test(path)) {
    return `its path "${path}" is not / or /…/ of at most ${MAX_PATH} printable ASCII characters (IAM's rule for paths)`;
  }
  return undefined;
}
