import { createHash } from 'node:crypto';
import { idCharacters } from './awsIds.js';

/** Who holds a role session's credentials, as STS names them. */
export interface AssumedRoleIdentity {
  readonly accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>` */
  readonly arn: string;
  /** `<role id>:<session name>`: GetCallerIdentity's UserId, AssumedRoleUser's AssumedRoleId. */
  readonly assumedRoleId: string;
}

/**
 * The identity of a session of `roleArn`. IAM gives each role a unique ID (`AROA…`); here it is derived from
 * the ARN, so that CreateSession's assumedRoleId and GetCallerIdentity's UserId agree for the same role.
 */
export function assumedRoleIdentity(roleArn: string, roleSessionName: string): AssumedRoleIdentity {
  const [, partition = 'aws', , , accountId = ''] = roleArn.split(':');
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const digest = createHash('sha256').update(roleArn).digest();
  const roleId = `AROA${idCharacters(digest.subarray(0, 17))}`;
  return {
    accountId,
    arn: `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${roleSessionName}`,
    assumedRoleId: `${roleId}:${roleSessionName}`,
  };
}
