/** An Amazon Resource Name: `arn:partition:service:region:account:resource` (the resource may hold colons). */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

/** Why a string is not an ARN, in the wording of the AWS SDK's parser (`arn: invalid prefix`). */
export class ArnSyntaxError extends Error {}

export function parseArn(text: string): Arn {
  if (!text.startsWith('arn:')) throw new ArnSyntaxError('arn: invalid prefix');
  const sections = text.split(':');
  if (sections.length < 6) throw new ArnSyntaxError('arn: not enough sections');
  const [, partition, service, region, accountId, ...resource] = sections as [string, string, string, string, string, ...string[]];
  return { partition, service, region, accountId, resource: resource.join(':') };
}

/** The 12-digit account of an ARN such as `arn:aws:sts::123456789012:assumed-role/role/session`, if it has one. */
export function accountOf(arn: unknown): string | undefined {
  const account = typeof arn === 'string' ? arn.split(':')[4] : undefined;
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
