import type { Logger } from '../log/logger.js';
import type { AssumableRole, AttributeMapping, NotificationSetting, Tag } from './records.js';

/** A trust anchor the emulator starts with. */
export interface EmulatorTrustAnchor {
  /** Default: derived from `name` (or the certificates) in the emulator's account and Region, the same at every start. */
  readonly arn?: string | undefined;
  /** Default: the ID at the end of the ARN. */
  readonly name?: string | undefined;
  /** PEM: the CA certificate(s) the anchor trusts. */
  readonly certificates: string;
  /** PEM CRLs signed by those certificates, as ImportCrl would import them for this anchor. */
  readonly crls?: readonly string[] | undefined;
  /** Default true. */
  readonly enabled?: boolean | undefined;
  /** As CreateTrustAnchor takes them (each key once). */
  readonly tags?: readonly Tag[] | undefined;
  /** As CreateTrustAnchor takes them (each event once). */
  readonly notificationSettings?: readonly NotificationSetting[] | undefined;
}

/** A profile the emulator starts with. */
export interface EmulatorProfile {
  /** Default: derived from `name` (or the role ARNs) in the emulator's account and Region, the same at every start. */
  readonly arn?: string | undefined;
  /** Default: the ID at the end of the ARN. */
  readonly name?: string | undefined;
  /** The roles CreateSession may issue credentials for through this profile. */
  readonly roleArns: readonly string[];
  /**
   * Longest session the profile grants; CreateSession asking for more gets a session this long (900–43200;
   * default 43200). The emulator command's config file calls it `durationSeconds`.
   */
  readonly maxDurationSeconds?: number | undefined;
  /** Whether CreateSession may set roleSessionName (the profile's acceptRoleSessionName; default false). */
  readonly acceptRoleSessionName?: boolean | undefined;
  /** Default true. */
  readonly enabled?: boolean | undefined;
  /** As CreateProfile takes them (each key once). */
  readonly tags?: readonly Tag[] | undefined;
  /** Each as PutAttributeMapping puts it on the default mapping (each field once). */
  readonly attributeMappings?: readonly AttributeMapping[] | undefined;
}

/**
 * What startEmulator starts with. It checks them as the emulator command checks its config file: a key it
 * does not know, a value of the wrong type or out of range, is an EmulatorSetupError naming the key.
 */
export interface EmulatorOptions {
  /** Trust anchors to start with (CreateTrustAnchor adds more). */
  readonly trustAnchors?: readonly EmulatorTrustAnchor[] | undefined;
  /** Profiles to start with (CreateProfile adds more). */
  readonly profiles?: readonly EmulatorProfile[] | undefined;
  /** PEM CRLs; each counts for the trust anchor whose certificate signed it, and is ignored if none did. */
  readonly crls?: readonly string[] | undefined;
  /** Serial numbers (hex) revoked without a CRL, whatever the trust anchor. */
  readonly revokedSerials?: readonly string[] | undefined;
  /** The roles STS AssumeRole may take with credentials the emulator issued (none by default). */
  readonly assumableRoles?: readonly AssumableRole[] | undefined;
  /** Account of the resources whose ARN is not given and of those the management API creates (default 123456789012). */
  readonly accountId?: string | undefined;
  /** Region of those resources, and of the STS endpoint, which requests must be signed for (default us-east-1). */
  readonly region?: string | undefined;
  /**
   * How far X-Amz-Date may be from the emulator's clock. Default: 15 minutes, the window AWS's services
   * allow.
   */
  readonly maxClockSkewMs?: number | undefined;
  /** The emulator's clock (default: the system's), for expirations and the date skew. */
  readonly now?: (() => Date) | undefined;
  /**
   * Issue credentials that expire after this many seconds (1–43200), whatever duration was asked
   * for: short sessions show how clients refresh without waiting an hour.
   */
  readonly credentialLifetimeSeconds?: number | undefined;
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP otherwise. */
  readonly tls?: { readonly certificate: string; readonly privateKey: string } | undefined;
  /** Default 127.0.0.1. */
  readonly host?: string | undefined;
  /** 0–65535; default 0: any free port (see `url`). */
  readonly port?: number | undefined;
  /** Where to say what in the set-up will fail (warn), the emulator refused (info) and answered (debug); nothing by default. */
  readonly logger?: Logger | undefined;
}

/**
 * Options startEmulator, revoke() or the test PKI cannot take: an unknown key (`unknown key trustAnchor
 * (did you mean trustAnchors?)`), a value of the wrong type or out of range (`profiles[0].maxDurationSeconds
 * must be an integer from 900 to 43200`), certificates or a CRL that are not PEM, a CRL its trust anchor did
 * not sign.
 */
export class EmulatorSetupError extends Error {
  override readonly name = 'EmulatorSetupError';

  constructor(
    /** Which option: `profiles[0].roleArns`, `trustAnchors[1].crls[0]`. */
    readonly subject: string,
    /** What is wrong with it: `must be a list`. */
    readonly reason: string,
    /** Default `subject: reason`; a value of the wrong shape reads `subject must be …`. */
    message = `${subject}: ${reason}`,
  ) {
    super(message);
  }
}
// The bundle's minifier renames the class: Node's inspection of an uncaught one would show `x [EmulatorSetupError]`.
Object.defineProperty(EmulatorSetupError, 'name', { value: 'EmulatorSetupError' });
