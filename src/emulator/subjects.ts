import { stableUuid } from './awsIds.js';
import { partitionOfRegion } from './partitionOfRegion.js';

/** A certificate a subject presented (CredentialSummary): the latest attempt with it. */
export interface SubjectCredential {
  readonly seenAt: Date;
  /** Decimal, as the credential scope carries it. */
  readonly serialNumber: string;
  readonly issuer: string;
  readonly pem: string;
  readonly failed: boolean;
}

/** The instance properties a CreateSession of the subject gave (InstanceProperty). */
export interface SubjectInstanceProperties {
  readonly seenAt: Date;
  readonly properties: Readonly<Record<string, string>>;
  readonly failed: boolean;
}

/** A subject (ListSubjects, GetSubject): one per certificate subject that authenticated, with what it last presented. */
export interface SubjectRecord {
  readonly arn: string;
  readonly id: string;
  readonly x509Subject: string;
  /** When it was first seen, counting from 1 over the subjects (list pages go by it). */
  readonly order: number;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** One per certificate (issuer and serial number), in the order first presented. */
  readonly credentials: readonly SubjectCredential[];
  readonly instanceProperties: readonly SubjectInstanceProperties[];
}

/** What one CreateSession tells of its subject, once its certificate chained to the trust anchor. */
export interface SubjectAttempt {
  readonly region: string;
  readonly accountId: string;
  readonly x509Subject: string;
  readonly credential: Omit<SubjectCredential, 'seenAt' | 'failed'>;
  readonly instanceProperties: Readonly<Record<string, string>> | undefined;
}

/**
 * A subject's ARN: the service keeps one Subject resource per certificate subject, so the ARN CreateSession
 * answers is the same in every session of it.
 */
export function subjectArn(region: string, accountId: string, x509Subject: string): string {
  return `arn:${partitionOfRegion(region)}:rolesanywhere:${region}:${accountId}:subject/${stableUuid('subject', x509Subject)}`;
}

/** The subjects of the emulated account, in the order first seen. */
export class Subjects {
  readonly list: SubjectRecord[] = [];
  #seen = 0;

  /** Records an attempt (succeeded, or refused after the chain verified): the subject's first, or its latest. */
  seen(attempt: SubjectAttempt, failed: boolean, at: Date): void {
    const arn = subjectArn(attempt.region, attempt.accountId, attempt.x509Subject);
    const known = this.list.findIndex((subject) => subject.arn === arn);
    const before = known < 0 ? undefined : this.list[known]!;
    const credential = { ...attempt.credential, seenAt: at, failed };
    const sameCertificate = (held: SubjectCredential) => held.serialNumber === credential.serialNumber && held.issuer === credential.issuer;
    const credentials = before?.credentials ?? [];
    const record: SubjectRecord = {
      arn,
      id: arn.slice(arn.lastIndexOf('/') + 1),
      x509Subject: attempt.x509Subject,
      order: before?.order ?? ++this.#seen,
      createdAt: before?.createdAt ?? at,
      lastSeenAt: at,
      credentials: credentials.some(sameCertificate) ? credentials.map((held) => (sameCertificate(held) ? credential : held)) : [...credentials, credential],
      instanceProperties: attempt.instanceProperties ? [{ seenAt: at, properties: attempt.instanceProperties, failed }] : (before?.instanceProperties ?? []),
    };
    if (before) this.list[known] = record;
    else this.list.push(record);
  }
}
