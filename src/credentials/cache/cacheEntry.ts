import { makeFolders } from '../../files/makeFolders.js';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ModesNotKeptError, removeStaleTemporaries, replaceWithNewFile } from '../../files/newFile.js';
import { describeFsError } from '../../files/describeFsError.js';
import { modeText } from '../../files/modeText.js';
import { readTrustedFile, UntrustedFileError } from '../../files/trustedFile.js';
import { untrustedCacheFolder } from '../../files/cacheFolder.js';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';
import { NOT_BEFORE_LEEWAY_MS } from '../../keys/notBeforeLeeway.js';

/**
 * An entry is handed out only while more than this much validity remains: botocore's advisory window, so
 * that Python SDKs do not want to refresh the moment they get them.
 */
export const MIN_REMAINING_MS = 15 * 60_000;

/**
 * How long an entry's lock goes unstamped before its holder is taken for dead, and the lock taken over (its
 * holder restamps it every half of this): less than a run waits for it (33 s), so that the runs waiting on
 * the lock of a killed run have one of them take it over and the others find what it stored.
 */
export const CACHE_LOCK_STALE_MS = 10_000;

const MAX_ENTRY_BYTES = 64 * 1024;

/**
 * The most a service's clock may be ahead of this one and still take its signatures: AWS allows 15 minutes
 * (STS; the emulator's window), more than the 5 a certificate's start is given.
 */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/**
 * No session lasts longer (CreateSession's and AssumeRole's 43200 s), give or take the service's clock skew:
 * an entry whose credentials expire further off was not written with this clock (damaged, edited, or the
 * clock set back since), and would be handed out until then.
 */
export const MAX_REMAINING_MS = 12 * 3_600_000 + MAX_CLOCK_SKEW_MS;

/** How long an entry's credentials remain valid, as messages say it: whole minutes, and not "0 more min" in the last one. */
export function validFor(remainingMs: number): string {
  const minutes = Math.floor(remainingMs / 60_000);
  return minutes > 0 ? `valid for ${minutes} more min` : 'valid for less than a minute more';
}

/** What a hit says at debug level: the entry, and how long its credentials are handed out for. */
export function hitMessage(file: string, remainingMs: number, afterWaiting = false): string {
  return `credential cache: hit ${afterWaiting ? 'after waiting ' : ''}(${file}, ${validFor(remainingMs)})`;
}

/**
 * An entry as stored: what it is for (the key material, compared exactly) and the credentials; or, without
 * them, a marker (see EntryMarker).
 */
interface StoredEntry {
  readonly key: string;
  readonly credentials?: {
    readonly AccessKeyId: string;
    readonly SecretAccessKey: string;
    readonly SessionToken: string;
    readonly Expiration: string;
    readonly AccountId?: string;
  };
  /** The validity of the certificate the credentials were had with: outside it, they are not handed out (ISO 8601). */
  readonly certificate?: { readonly notBefore: string; readonly notAfter: string };
  /** When a refresh of these credentials, in their last 15 minutes, last failed (ISO 8601). */
  readonly refreshFailedAt?: string;
  /** A marker's: until when the service issues credentials too short-lived to be stored (ISO 8601). */
  readonly shortLivedUntil?: string;
  /** A marker's: when a fetch under the lock failed at the service (ISO 8601), and why. */
  readonly failedAt?: string;
  readonly failure?: string;
}

/**
 * What an entry without credentials records for the runs that find it. `shortLivedUntil`: the service
 * issued credentials of 15 minutes or less (the profile caps the session), which are not stored; until
 * they expire, runs fetch their own without taking the lock, as they do for a --session-duration of 900 s,
 * rather than queue for it. `failedAt`: the fetch of the run that held the lock failed at the service
 * (there being no credentials to keep); the runs that waited for it fail with its reason at once rather
 * than each make the same call in turn.
 */
export type EntryMarker = { readonly shortLivedUntil: Date } | { readonly failedAt: Date; readonly failure: string };

/** The period of validity of the certificate the credentials were had with. */
export interface CertificateValidity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * What reading an entry found: usable credentials, or why not (`missing` says nothing worth a warning;
 * `expired`, that the entry is these credentials', too near their end to hand out, and then `lastGood`
 * holds them while they are still valid, for when the refresh fails; `folderUntrusted`, that the folder
 * is not to be written to either).
 */
export type EntryReading =
  | { readonly credentials: TemporaryCredentials; readonly remainingMs: number }
  | {
      readonly unusable: string;
      readonly missing?: boolean;
      readonly expired?: boolean;
      readonly folderUntrusted?: boolean;
      readonly lastGood?: LastGood;
      /** A marker says the service issues credentials too short-lived to be cached. */
      readonly shortLived?: boolean;
      /** A marker says a fetch under the lock failed at the service: when (ms since the epoch), and why. */
      readonly failure?: { readonly at: number; readonly reason: string };
    };

/** An entry's credentials in their last 15 minutes, with what it holds beside them. */
export interface LastGood {
  readonly credentials: TemporaryCredentials;
  readonly remainingMs: number;
  readonly certificate?: CertificateValidity | undefined;
  /** When a refresh last failed (ms since the epoch), if it did. */
  readonly refreshFailedAt?: number | undefined;
}

/**
 * Reads an entry without following a link or blocking on a FIFO, and only if it is a regular file of this
 * user that nobody else can write, in a folder of this user's that nobody else can write (a link, another
 * user's folder or one others may write is not used, as the README promises): another user's file could
 * hold credentials of their choosing.
 */
export function readEntry(path: string, key: string, now: number): EntryReading {
  let folderProblem: string | undefined;
  try {
    folderProblem = untrustedCacheFolder(dirname(path));
  } catch (error) {
    folderProblem = `cannot be opened: ${describeFsError(error)}`;
  }
  if (folderProblem) return { unusable: `its folder ${folderProblem}`, folderUntrusted: true };
  let read: { data: Buffer; stat: { mode: number } };
  try {
    read = readTrustedFile(path, MAX_ENTRY_BYTES);
  } catch (error) {
    if (error instanceof UntrustedFileError) return { unusable: `it ${error.message}` };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { unusable: 'no entry', missing: true };
    // Opened without following a link: ELOOP is the link itself.
    return { unusable: code === 'ELOOP' ? 'it is a symbolic link' : `it cannot be opened (${describeFsError(error)})` };
  }
  // Written 0600: one made readable since may have been read, and is replaced as the others are.
  const mode = read.stat.mode & 0o777;
  if (mode & 0o044) return { unusable: `it is readable by other users (mode ${modeText(mode)}), who may have read its credentials` };
  return parseEntry(read.data.toString('utf8'), key, now);
}

function parseEntry(text: string, key: string, now: number): EntryReading {
  let entry: StoredEntry;
  try {
    entry = JSON.parse(text) as StoredEntry;
  } catch {
    return { unusable: 'it is not valid JSON (damaged or cut short)' };
  }
  if (entry?.key !== key) return { unusable: 'it is for other credentials', missing: true };
  if (entry.credentials === undefined) {
    // With its key, yet neither credentials nor a marker this build knows: another build's record (a later
    // one's marker), a miss rather than damage to warn of (QA: two installs sharing the cache, the older
    // warned 'it lacks credentials' at each run while the newer's marker stood).
    return markerReading(entry, now) ?? { unusable: 'it holds no credentials (a record of another build of the helper)', missing: true };
  }
  const stored = entry.credentials;
  if (!stored || ![stored.AccessKeyId, stored.SecretAccessKey, stored.SessionToken, stored.Expiration].every((field) => typeof field === 'string' && field !== '')) {
    return { unusable: 'it lacks credentials' };
  }
  const expiration = new Date(stored.Expiration);
  if (Number.isNaN(expiration.getTime())) return { unusable: 'its expiration is not a date' };
  const remainingMs = expiration.getTime() - now;
  if (remainingMs <= 0) return { unusable: `it expired ${Math.ceil(-remainingMs / 60_000)} min ago`, missing: true, expired: true };
  if (remainingMs > MAX_REMAINING_MS) {
    return { unusable: `its credentials expire at ${stored.Expiration}, past any session's 12 hours: damaged, or the clock was set back` };
  }
  // As without the cache, the certificate must be valid now (expired, or not yet valid with the clock set back):
  // a miss, which then says what is wrong with it. An entry that does not say (an earlier build's) is a miss
  // too, replaced by one that does (QA: an upgrade handed out an old entry's credentials past the certificate).
  const certificate = entry.certificate;
  if (typeof certificate?.notBefore !== 'string' || typeof certificate.notAfter !== 'string') {
    return { unusable: "it does not keep the certificate's validity (an earlier build's)", missing: true, expired: true };
  }
  if (!(now >= Date.parse(certificate.notBefore) - NOT_BEFORE_LEEWAY_MS && now <= Date.parse(certificate.notAfter))) {
    return { unusable: `the certificate it was had with is valid from ${certificate.notBefore} to ${certificate.notAfter}, not now`, missing: true, expired: true };
  }
  const credentials: TemporaryCredentials = {
    accessKeyId: stored.AccessKeyId,
    secretAccessKey: stored.SecretAccessKey,
    sessionToken: stored.SessionToken,
    expiration,
    expirationText: stored.Expiration,
    accountId: typeof stored.AccountId === 'string' ? stored.AccountId : undefined,
  };
  if (remainingMs <= MIN_REMAINING_MS) {
    const unusable = `it expires in ${Math.floor(remainingMs / 60_000)} min, too soon to hand out`;
    const validity = { notBefore: new Date(certificate.notBefore), notAfter: new Date(certificate.notAfter) };
    const failedAt = typeof entry.refreshFailedAt === 'string' ? Date.parse(entry.refreshFailedAt) : Number.NaN;
    const lastGood = { credentials, remainingMs, certificate: validity, refreshFailedAt: Number.isNaN(failedAt) ? undefined : failedAt };
    return { unusable, missing: true, expired: true, lastGood };
  }
  return { remainingMs, credentials };
}

/** What a marker (an entry without credentials) says: a miss, with what the runs that find it do; undefined for no marker. */
function markerReading(entry: StoredEntry, now: number): EntryReading | undefined {
  const shortLivedUntil = typeof entry.shortLivedUntil === 'string' ? Date.parse(entry.shortLivedUntil) : Number.NaN;
  // It records credentials of 15 minutes at most: one that runs longer would keep the cache off until then (review).
  if (shortLivedUntil > now + MIN_REMAINING_MS + MAX_CLOCK_SKEW_MS) {
    return { unusable: `its record of short-lived credentials runs until ${entry.shortLivedUntil}, past their 15 minutes: damaged, or the clock was set back` };
  }
  if (shortLivedUntil > now) {
    return { unusable: `the service issues credentials too short-lived to be cached (until ${entry.shortLivedUntil})`, missing: true, shortLived: true };
  }
  const failedAt = typeof entry.failedAt === 'string' ? Date.parse(entry.failedAt) : Number.NaN;
  if (!Number.isNaN(failedAt) && typeof entry.failure === 'string') {
    return { unusable: `no credentials: a fetch failed at ${entry.failedAt}`, missing: true, failure: { at: failedAt, reason: entry.failure } };
  }
  return Number.isNaN(shortLivedUntil) ? undefined : { unusable: 'no entry', missing: true };
}

/** What an entry holds beside its credentials, and a last check before it replaces the one there. */
export interface EntryExtras {
  /** Without it (a source with no certificate), the entry is never handed out. */
  readonly certificate: CertificateValidity | undefined;
  /** Records a failed refresh of the credentials kept. */
  readonly refreshFailedAt?: Date | undefined;
  /** Run just before the rename; throwing leaves the entry there as it is. */
  readonly beforeRename?: () => void;
}

/**
 * Writes an entry whole or not at all: a new file (0600, never through a link planted at its name) in the
 * entry's folder (made 0700), synced, then renamed over the entry; a killed run's leftover copies go.
 */
export function writeEntry(path: string, key: string, credentials: TemporaryCredentials, { certificate, refreshFailedAt, beforeRename }: EntryExtras): void {
  const stored: StoredEntry = {
    key,
    credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: credentials.expirationText,
      ...(credentials.accountId ? { AccountId: credentials.accountId } : {}),
    },
    ...(certificate ? { certificate: { notBefore: certificate.notBefore.toISOString(), notAfter: certificate.notAfter.toISOString() } } : {}),
    ...(refreshFailedAt ? { refreshFailedAt: refreshFailedAt.toISOString() } : {}),
  };
  writeStored(path, stored, beforeRename);
}

/** Writes a marker in place of the entry, as writeEntry writes one (see EntryMarker). */
export function writeMarker(path: string, key: string, marker: EntryMarker, beforeRename?: () => void): void {
  const stored: StoredEntry =
    'shortLivedUntil' in marker
      ? { key, shortLivedUntil: marker.shortLivedUntil.toISOString() }
      : { key, failedAt: marker.failedAt.toISOString(), failure: marker.failure };
  writeStored(path, stored, beforeRename);
}

function writeStored(path: string, stored: StoredEntry, beforeRename: (() => void) | undefined): void {
  const folder = dirname(path);
  makeFolders(folder, 0o700);
  const problem = untrustedCacheFolder(folder);
  if (problem) throw new Error(`the folder ${folder} ${problem}`);
  // Copies of this entry that runs killed before their rename left (they hold credentials), once a minute old.
  removeStaleTemporaries(path);
  try {
    replaceWithNewFile(path, JSON.stringify(stored), { beforeRename, ownerOnly: true });
  } catch (error) {
    // No entry is kept where others may read it: one written there before (by an earlier version) goes too.
    if (error instanceof ModesNotKeptError) rmSync(path, { force: true });
    throw error;
  }
}
