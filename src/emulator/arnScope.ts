/** The partition, Region and account an ARN names (`arn:aws:rolesanywhere:<region>:<account>:…`; an IAM ARN's Region is empty). */
export function arnScope(arn: string): { partition: string; region: string; accountId: string } {
  const [, partition = '', , region = '', accountId = ''] = arn.split(':');
  return { partition, region, accountId };
}
