import { decodePem } from '../asn1/pem.js';
import { parseCrl, type X509Crl } from '../x509/crl.js';
import { CRL_MAX_NODES } from '../rolesAnywhereRules/crlFile.js';
import { randomUUID } from 'node:crypto';
import { arnScope } from './arnScope.js';
import { stableUuid } from './awsIds.js';
import { partitionOfRegion } from './partitionOfRegion.js';
import { loadCertificate, revocationKey, type CheckedCertificate } from './verifyCertificates.js';
import { notificationSettingDetails, type NotificationSettingDetail } from './notificationSettings.js';
import { ResourceTags } from './resourceTags.js';
import { Subjects } from './subjects.js';
import { DEFAULT_ATTRIBUTE_MAPPINGS } from './attributeMappings.js';
import type { AttributeMapping, NotificationSetting } from './records.js';

/** A trust anchor as the emulator holds it: from the options, or created with CreateTrustAnchor. */
export interface TrustAnchorRecord {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** The CA certificates, as PEM. */
  readonly certificatesPem: string;
  readonly certificates: readonly CheckedCertificate[];
  readonly enabled: boolean;
  /** Recorded and reported, not acted on: the emulator notifies of nothing. */
  readonly notificationSettings: readonly NotificationSettingDetail[];
  readonly order: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ProfileRecord extends ProfileInput {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  /** Which of the certificate's attributes CreateSession makes session tags of: the default, until PutAttributeMapping or DeleteAttributeMapping. */
  readonly attributeMappings: readonly AttributeMapping[];
  readonly order: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface CrlRecord {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly trustAnchorArn: string;
  readonly pem: string;
  readonly enabled: boolean;
  /** Its issuer's certificates, as revokedCertificates keys them: `<issuer DN>\n<serial in lower-case hex without leading zeros>`. */
  readonly revoked: ReadonlySet<string>;
  /** When it was made, counting from 1 over all the resources (list pages go by it). */
  readonly order: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What the management API's by-ID operations act on: a trust anchor, a profile or a CRL. */
export type Resource = TrustAnchorRecord | ProfileRecord | CrlRecord;

/** What is asked of a new trust anchor; the ARN is derived when not given. */
export interface TrustAnchorInput {
  readonly arn?: string;
  readonly name?: string;
  readonly certificates: string;
  readonly enabled: boolean;
  readonly notificationSettings?: readonly NotificationSetting[];
}

export interface ProfileInput {
  readonly arn?: string;
  readonly name?: string;
  readonly roleArns: readonly string[];
  readonly maxDurationSeconds: number;
  readonly acceptRoleSessionName: boolean;
  readonly enabled: boolean;
  /**
   * What CreateProfile may set and the emulator records and reports without applying: the policies the
   * service would put on sessions, and whether CreateSession must carry instance properties.
   */
  readonly managedPolicyArns?: readonly string[];
  readonly sessionPolicy?: string;
  readonly requireInstanceProperties?: boolean;
  /** The mapping it starts with (the options'); default DEFAULT_ATTRIBUTE_MAPPINGS, as CreateProfile makes it. */
  readonly attributeMappings?: readonly AttributeMapping[];
}

/**
 * A CRL that the emulator cannot take, with the reason the management API answers as a ValidationException,
 * and the reason a set-up error gives, which names no derived ARN.
 */
export class CrlRejected extends Error {
  constructor(
    message: string,
    readonly setupReason = message,
  ) {
    super(message);
  }
}

/**
 * The Roles Anywhere resources of the emulated account: trust anchors, profiles and CRLs, whether they
 * came with the options or through the management API. CreateSession reads them on every request, so what
 * a setup script creates is used at once.
 */
export class RolesAnywhereResources {
  readonly trustAnchors: TrustAnchorRecord[] = [];
  readonly profiles: ProfileRecord[] = [];
  readonly crls: CrlRecord[] = [];
  /** Serial numbers revoked by hand (`RunningEmulator.revoke`), whatever the trust anchor. */
  readonly revokedByHand = new Set<string>();
  /** The resources' tags (CreateProfile's `tags`, TagResource, …), by ARN. */
  readonly tags = new ResourceTags();
  /** The certificate subjects CreateSession has seen (ListSubjects, GetSubject). */
  readonly subjects = new Subjects();
  #made = 0;

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly now: () => Date,
  ) {}

  /**
   * Without an ARN, the trust anchor's ID is derived from its name (or its certificates), so that the same
   * configuration gives the same ARN at every start: test configurations can name it.
   */
  addTrustAnchor(input: TrustAnchorInput, id?: string): TrustAnchorRecord {
    const certificates = anchorCertificates(input.certificates, input.name ?? input.arn ?? '');
    const anchorId = id ?? idOf(input.arn) ?? stableUuid('trust-anchor', input.name ?? input.certificates);
    const arn = input.arn ?? this.#arn('trust-anchor', anchorId);
    const { region, accountId } = arnScope(arn);
    const record: TrustAnchorRecord = {
      arn,
      id: anchorId,
      name: input.name ?? anchorId,
      region,
      accountId,
      ...certificates,
      enabled: input.enabled,
      notificationSettings: notificationSettingDetails(input.notificationSettings ?? [], accountId),
      ...this.#newRecord(),
    };
    this.trustAnchors.push(record);
    return record;
  }

  addProfile(input: ProfileInput, id?: string): ProfileRecord {
    const profileId = id ?? idOf(input.arn) ?? stableUuid('profile', input.name ?? input.roleArns.join(','));
    const record: ProfileRecord = {
      ...input,
      arn: input.arn ?? this.#arn('profile', profileId),
      id: profileId,
      name: input.name ?? profileId,
      attributeMappings: input.attributeMappings ?? DEFAULT_ATTRIBUTE_MAPPINGS,
      ...this.#newRecord(),
    };
    this.profiles.push(record);
    return record;
  }

  /**
   * A CRL for a trust anchor: it must be signed by one of the anchor's certificates (CRLs of intermediate
   * CAs are not supported). Its entries then refuse CreateSession through that anchor while it is enabled.
   * One of the options (`stable`) has an ID derived from its anchor and name, the same at every start.
   */
  async importCrl(input: { name: string; trustAnchorArn: string; pem: string; enabled: boolean }, stable = false): Promise<CrlRecord> {
    const revoked = await this.crlEntries(input.pem, input.trustAnchorArn);
    const id = stable ? stableUuid('crl', input.trustAnchorArn, input.name) : randomUUID();
    const record: CrlRecord = {
      ...input,
      arn: this.#arn('crl', id),
      id,
      revoked,
      ...this.#newRecord(),
    };
    this.crls.push(record);
    return record;
  }

  /**
   * What a CRL for a trust anchor revokes, keyed by revocationKey: refused (CrlRejected) when it is not a
   * CRL, or not signed by one of the anchor's certificates (CRLs of intermediate CAs are not supported).
   */
  async crlEntries(pem: string, trustAnchorArn: string): Promise<ReadonlySet<string>> {
    const anchor = this.trustAnchor(trustAnchorArn);
    if (!anchor) throw new CrlRejected(`Trust anchor ${trustAnchorArn} not found`);
    let crl: X509Crl;
    try {
      crl = crlOfText(pem);
    } catch {
      throw new CrlRejected('crlData is not a PEM-encoded X.509 CRL', 'not a PEM-encoded X.509 CRL');
    }
    if (!signedByAnchor(crl, anchor)) {
      throw new CrlRejected(
        `The CRL is not signed by a certificate of trust anchor ${anchor.arn}`,
        `the CRL of ${crl.issuer} is not signed by a certificate of the trust anchor`,
      );
    }
    return new Set(crl.entries.map((entry) => revocationKey(crl.issuer, entry.serialNumber)));
  }

  /**
   * A CRL given with the options, without saying for which trust anchor: it counts for the anchor whose
   * certificate signed it, and is ignored when none did. One that is not a CRL is refused (CrlRejected).
   */
  async addCrlOfAnyAnchor(pem: string): Promise<void> {
    let crl: X509Crl;
    try {
      crl = crlOfText(pem);
    } catch {
      throw new CrlRejected('not a PEM-encoded X.509 CRL');
    }
    for (const anchor of this.trustAnchors) {
      if (signedByAnchor(crl, anchor)) {
        await this.importCrl({ name: `crl-${this.crls.length + 1}`, trustAnchorArn: anchor.arn, pem, enabled: true }, true);
        return;
      }
    }
  }

  trustAnchor(arn: string | undefined): TrustAnchorRecord | undefined {
    return this.trustAnchors.find((anchor) => anchor.arn === arn);
  }

  profile(arn: string | undefined): ProfileRecord | undefined {
    return this.profiles.find((profile) => profile.arn === arn);
  }

  /** The trust anchor, profile or CRL of an ARN (TagResource, …). */
  resource(arn: string): Resource | undefined {
    return [...this.trustAnchors, ...this.profiles, ...this.crls].find((resource) => resource.arn === arn);
  }

  /**
   * The certificates revoked for those presented through this trust anchor: by its CRLs, each for its own
   * issuer's certificates only (a serial number is unique per issuer: an intermediate's certificate may have
   * a serial its root revoked), keyed by revocationKey.
   */
  revokedCertificates(trustAnchorArn: string): ReadonlySet<string> {
    const revoked = new Set<string>();
    for (const crl of this.crls) {
      if (crl.enabled && crl.trustAnchorArn === trustAnchorArn) for (const key of crl.revoked) revoked.add(key);
    }
    return revoked;
  }

  /** Changes a resource (EnableProfile, DisableCrl, …): a changed copy takes its place in its list. */
  change<R extends Resource>(list: R[], record: R, change: Partial<R>): R {
    const changed = { ...record, ...change, updatedAt: this.now() };
    list[list.indexOf(record)] = changed;
    return changed;
  }

  /** Removes a resource from its list (DeleteTrustAnchor, …), and its tags: CreateSession no longer finds it. */
  remove<R extends Resource>(list: R[], record: R): void {
    list.splice(list.indexOf(record), 1);
    this.tags.drop(record.arn);
  }

  /** A new record's place in its kind's order, and its times: updated when created, as the service reports one never changed. */
  #newRecord(): { order: number; createdAt: Date; updatedAt: Date } {
    const now = this.now();
    return { order: ++this.#made, createdAt: now, updatedAt: now };
  }

  #arn(kind: 'trust-anchor' | 'profile' | 'crl', id: string): string {
    return `arn:${partitionOfRegion(this.region)}:rolesanywhere:${this.region}:${this.accountId}:${kind}/${id}`;
  }
}

/**
 * A trust anchor's CA certificates, from PEM, as the record holds them: an Error when there are none, or
 * one is not a certificate.
 */
export function anchorCertificates(pem: string, name: string): Pick<TrustAnchorRecord, 'certificatesPem' | 'certificates'> {
  const ders = decodePem(pem).map((block) => block.der);
  if (ders.length === 0) throw new Error(`trust anchor ${name}: no PEM certificate in its certificates`);
  return { certificatesPem: pem, certificates: ders.map((der) => loadCertificate(der)) };
}

/** Whether a certificate of the anchor of the CRL's issuer's name has the key that signed it (one that does not parse: not, fuzzing QA). */
function signedByAnchor(crl: X509Crl, anchor: TrustAnchorRecord): boolean {
  return anchor.certificates.some((certificate) => certificate.parsed.subject === crl.issuer && crl.verify(certificate.parsed.publicKey));
}

/**
 * The CRL of the text a CRL was given as: the first PEM block's (OpenSSL labels it `X509 CRL`, others `CRL`),
 * or, without one, the hex or base64 of its DER.
 */
function crlOfText(text: string): X509Crl {
  const [block] = decodePem(text);
  const der = block ? block.der : Buffer.from(text.trim(), /^(?:[0-9a-fA-F]{2})+$/.test(text.trim()) ? 'hex' : 'base64');
  return parseCrl(der, CRL_MAX_NODES);
}

/**
 * Whether a profile can serve a trust anchor's sessions: a session is of one account and Region, the trust
 * anchor's, the profile's and the role's (another account's roles are reached by chaining, AssumeRole from there).
 */
export function inAnchorsScope(profileArn: string, anchor: TrustAnchorRecord): boolean {
  const { region, accountId } = arnScope(profileArn);
  return region === anchor.region && accountId === anchor.accountId;
}

/**
 * What of a profile's (or its trust anchor's) ARN `scopeArn` a role is not of, with the scope's own: `partition
 * (aws)`, `account (123456789012)`, or undefined. A session's role is of both; other accounts' roles are
 * reached by chaining.
 */
export function roleOutsideScope(roleArn: string, scopeArn: string): string | undefined {
  const role = arnScope(roleArn);
  const scope = arnScope(scopeArn);
  if (role.partition !== scope.partition) return `partition (${scope.partition})`;
  if (role.accountId !== scope.accountId) return `account (${scope.accountId})`;
  return undefined;
}

/** The ID at the end of a resource ARN (`…:trust-anchor/<id>`). */
function idOf(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : arn.slice(arn.lastIndexOf('/') + 1);
}
