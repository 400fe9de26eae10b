/**
 * Temporary AWS credentials, as CreateSession (or STS) issues them. The shape is the AWS SDK for
 * JavaScript v3's AwsCredentialIdentity (so a provider of these can be handed to an SDK client), plus the
 * expiration exactly as the service wrote it, which credential-process passes on verbatim.
 */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly expirationText: string;
  /** The account of the role, when the service says (CreateSession's assumedRoleUser). */
  readonly accountId?: string | undefined;
  /** The role session's name, when the service says (CreateSession's assumedRoleUser): role chaining derives its own from it. */
  readonly roleSessionName?: string | undefined;
}
