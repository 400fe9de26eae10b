/**
 * Temporary AWS credentials. The shape is the AWS SDK for JavaScript v3's AwsCredentialIdentity (so a
 * provider of these can be handed to an SDK client), plus the expiration exactly as the service wrote it,
 * which credential-process passes on verbatim.
 */
export interface RolesAnywhereCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly expirationText: string;
}

/** The AWS SDK for JavaScript v3's provider shape. */
export type CredentialProvider = () => Promise<RolesAnywhereCredentials>;
