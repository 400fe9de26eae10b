// What a running emulator records and is set up with, as its users' tests see them: declarations only, in
// a module of their own, so that the package's type declarations hold these and not the modules' internals.

/** A set of temporary credentials, as the services write them. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** ISO 8601 without fractional seconds, as the services write it. */
  readonly expiration: string;
}

/** Credentials CreateSession handed out, with what they were issued for (tests assert on these). */
export interface IssuedSession extends IssuedCredentials {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** How long the credentials are valid: credentialLifetimeSeconds if set, else durationSeconds bounded by the profile's. */
  readonly lifetimeSeconds: number;
  /** The end-entity certificate's serial number, decimal. */
  readonly serialNumber: string;
  /** As the service sets it from the end-entity certificate: `CN=<subject CN>`, or `ID=<serial in hex>` without a CN. */
  readonly sourceIdentity: string;
  /** The principal tags the service sets from the end-entity certificate, by the profile's attribute mapping: `x509Subject/CN`, ... */
  readonly sessionTags: readonly { readonly key: string; readonly value: string }[];
  readonly issuedAt: Date;
}

/** A tag, as CreateTrustAnchor, CreateProfile and TagResource take it. */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** A trust anchor's setting of an event, as CreateTrustAnchor and PutNotificationSettings take it. */
export interface NotificationSetting {
  readonly enabled: boolean;
  readonly event: 'CA_CERTIFICATE_EXPIRY' | 'END_ENTITY_CERTIFICATE_EXPIRY';
  /** Days before the expiry (1–360; default 45). */
  readonly threshold?: number | undefined;
  readonly channel?: 'ALL' | undefined;
}

/** A profile's rules for a certificate field, as PutAttributeMapping takes them. */
export interface AttributeMapping {
  readonly certificateField: 'x509Subject' | 'x509Issuer' | 'x509SAN';
  readonly mappingRules: readonly { readonly specifier: string }[];
}

/** A role that AssumeRole may take, and the external ID its trust policy requires, if any. */
export interface AssumableRole {
  readonly roleArn: string;
  readonly externalId?: string | undefined;
}

/** Credentials AssumeRole handed out, with what they were issued for (tests assert on these). */
export interface AssumedRoleSession extends IssuedCredentials {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** Carried over from the caller's session (Roles Anywhere sets it to the certificate's CN). */
  readonly sourceIdentity: string | undefined;
  readonly externalId: string | undefined;
  /** The session tags, session policy and managed session policies the request passed (checked, not evaluated). */
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  readonly policy: string | undefined;
  readonly policyArns: readonly string[];
  /** The caller's transitive tag keys and those this request set. */
  readonly transitiveTagKeys: readonly string[];
  /** The assumed-role ARN of the credentials that called AssumeRole. */
  readonly callerArn: string;
  readonly issuedAt: Date;
}

/** An STS request the emulator answered (tests assert on these). */
export interface StsCall {
  /** `GetCallerIdentity`, `AssumeRole`, or what else the request asked for. */
  readonly action: string;
  /** The assumed-role ARN of the caller, once its signature verified. */
  readonly callerArn: string | undefined;
  readonly status: number;
  /** The error code of a refusal (`SignatureDoesNotMatch`, `ExpiredToken`, …). */
  readonly code?: string;
  readonly message?: string;
}

/** A refused request, with the reason the response gave. */
export interface Rejection {
  /** `CreateSession`, an STS action (`AssumeRole`), or a management operation (`ImportCrl`). */
  readonly operation: string;
  readonly status: number;
  readonly code: string;
  readonly message: string;
}
