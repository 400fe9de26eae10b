import { x509 } from '../peculiarX509.js';
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { decodeBitString, decodeOid, readRoot, sequence } from '../asn1/der.js';
import { createSessionResponse, issueSession, type IssuedSession } from './issueCredentials.js';
import { ServiceError, accessDenied, notFound, validationError } from './serviceErrors.js';
import {
  loadCertificate,
  normaliseSerial,
  verifyCertificateChain,
  type CheckedCertificate,
} from './verifyCertificates.js';
import { parseAuthorization, stringToSignOf, verifyRequestSignature, type LeafKey } from './verifySignature.js';

export interface EmulatorTrustAnchor {
  readonly arn: string;
  /** PEM: the CA certificate(s) the anchor trusts. */
  readonly certificates: string;
  readonly enabled?: boolean;
}

export interface EmulatorProfile {
  readonly arn: string;
  readonly roleArns: readonly string[];
  /** Longest session the profile grants (the service's range is 900–43200; default 43200). */
  readonly maxDurationSeconds?: number;
  /** Whether CreateSession may set roleSessionName (the profile's acceptRoleSessionName). */
  readonly acceptRoleSessionName?: boolean;
  readonly enabled?: boolean;
}

export interface EmulatorOptions {
  readonly trustAnchors: readonly EmulatorTrustAnchor[];
  readonly profiles: readonly EmulatorProfile[];
  /** PEM CRLs (as ImportCrl takes them); entries of CRLs issued by a trust anchor count. */
  readonly crls?: readonly string[];
  /** Serial numbers (hex) revoked without a CRL. */
  readonly revokedSerials?: readonly string[];
  /** How far X-Amz-Date may be from the emulator's clock (default 5 minutes). */
  readonly maxClockSkewMs?: number;
  readonly now?: () => Date;
  /**
   * Issue credentials that expire after this many seconds, whatever duration was asked for: short sessions
   * show how clients refresh without waiting an hour.
   */
  readonly credentialLifetimeSeconds?: number;
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP otherwise. */
  readonly tls?: { readonly certificate: string; readonly privateKey: string };
  readonly host?: string;
  readonly port?: number;
}

/** A refused request, with the reason the response gave. */
export interface Rejection {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:43817` */
  readonly url: string;
  readonly issued: readonly IssuedSession[];
  readonly rejections: readonly Rejection[];
  /** Revokes a serial number (hex), as an imported CRL entry would. */
  revoke(serialNumberHex: string): void;
  close(): Promise<void>;
}

interface Anchor {
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  readonly certificates: readonly CheckedCertificate[];
  readonly enabled: boolean;
}

/**
 * A local IAM Roles Anywhere CreateSession endpoint that checks requests the way the service documents it:
 * the SigV4-X509 signature over the request as received, the date skew, the serial number in the scope,
 * the certificate chain to a trust anchor (validity, basic constraints, key usage, weak signatures,
 * revocation), the ARNs, the duration and the session name. It answers 201 with fresh credentials, or with
 * the service's error shapes.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const anchors: Anchor[] = options.trustAnchors.map((anchor) => {
    const [, , , region = '', accountId = ''] = anchor.arn.split(':');
    const certificates = x509.PemConverter.decode(anchor.certificates).map((der) => loadCertificate(Buffer.from(der)));
    return { arn: anchor.arn, region, accountId, certificates, enabled: anchor.enabled ?? true };
  });
  const revokedSerials = new Set((options.revokedSerials ?? []).map(normaliseSerial));
  for (const pem of options.crls ?? []) {
    const crl = new x509.X509Crl(pem);
    const issuer = anchors.flatMap((a) => a.certificates).find((c) => c.parsed.subject === crl.issuer);
    if (issuer && (await crl.verify({ publicKey: issuer.parsed.publicKey }))) {
      for (const entry of crl.entries) revokedSerials.add(normaliseSerial(entry.serialNumber));
    }
  }
  const issued: IssuedSession[] = [];
  const rejections: Rejection[] = [];
  const now = options.now ?? (() => new Date());
  const maxSkewMs = options.maxClockSkewMs ?? 5 * 60_000;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    try {
      const session = await createSession(req, body);
      issued.push(session.issued);
      respond(res, 201, session.body);
    } catch (error) {
      const refusal = error instanceof ServiceError ? error : new ServiceError(500, 'InternalServerError', String(error));
      rejections.push({ status: refusal.status, code: refusal.code, message: refusal.message });
      respond(res, refusal.status, JSON.stringify({ message: refusal.message }), refusal.code);
    }
  };

  const createSession = async (req: IncomingMessage, body: string) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (req.method !== 'POST' || !url.pathname.endsWith('/sessions')) throw notFound(`No route for ${req.method} ${url.pathname}`);
    const auth = parseAuthorization(req.headers.authorization);
    const received = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    };

    const amzDate = parseAmzDate(req.headers['x-amz-date']);
    if (Math.abs(amzDate.getTime() - now().getTime()) > maxSkewMs) {
      throw accessDenied('Signature expired: X-Amz-Date is too far from the current time');
    }
    if (auth.date !== String(req.headers['x-amz-date']).slice(0, 8)) throw accessDenied('Credential scope date does not match X-Amz-Date');
    if (auth.service !== 'rolesanywhere' || auth.terminator !== 'aws4_request') throw accessDenied('Credential scope must end in rolesanywhere/aws4_request');

    const leaf = receivedCertificate(req.headers['x-amz-x509'], 'X-Amz-X509');
    const chainHeader = req.headers['x-amz-x509-chain'];
    const intermediates = chainHeader
      ? String(chainHeader).split(',').map((part) => receivedCertificate(part, 'X-Amz-X509-Chain'))
      : [];
    const facts = factsOf(leaf);
    if (facts.serialNumber !== auth.serialNumber) {
      throw accessDenied('The serial number in the credential scope is not the certificate\'s');
    }
    await verifyRequestSignature(facts.key, auth, stringToSignOf(received, auth));

    const { profileArn, roleArn, trustAnchorArn } = received.query;
    const anchor = anchors.find((a) => a.arn === trustAnchorArn);
    if (!anchor) throw notFound(`Trust anchor ${trustAnchorArn ?? ''} not found`);
    if (!anchor.enabled) throw accessDenied('Trust anchor is disabled');
    if (auth.region !== anchor.region) throw accessDenied(`Credential scope region ${auth.region} is not ${anchor.region}`);
    const profile = options.profiles.find((p) => p.arn === profileArn);
    if (!profile) throw notFound(`Profile ${profileArn ?? ''} not found`);
    if (profile.enabled === false) throw accessDenied('Profile is disabled');

    verifyCertificateChain(leaf, intermediates, { anchors: anchor.certificates, revokedSerials, now: now() });

    const request = parseBody(body);
    if (!roleArn || !profile.roleArns.includes(roleArn)) throw accessDenied(`Unable to assume role ${roleArn ?? ''}: it is not in the profile`);
    const maxDuration = profile.maxDurationSeconds ?? 43200;
    if (request.durationSeconds < 900 || request.durationSeconds > maxDuration) {
      throw validationError(`durationSeconds must be between 900 and ${maxDuration}`);
    }
    if (request.roleSessionName !== undefined && !profile.acceptRoleSessionName) {
      throw accessDenied('Not authorized to set roleSessionName.');
    }
    const session = issueSession({
      roleArn,
      roleSessionName: request.roleSessionName ?? leaf.parsed.serialNumber,
      durationSeconds: request.durationSeconds,
      lifetimeSeconds: options.credentialLifetimeSeconds ?? request.durationSeconds,
      serialNumber: auth.serialNumber,
      sourceIdentity: facts.sourceIdentity,
      issuedAt: now(),
    });
    return { issued: session, body: createSessionResponse(session, anchor.accountId, anchor.region) };
  };

  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.certificate, key: options.tls.privateKey }, (req, res) => void handle(req, res))
    : createHttpServer((req, res) => void handle(req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    issued,
    rejections,
    revoke: (serial) => revokedSerials.add(normaliseSerial(serial)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const ML_DSA_BY_OID: Readonly<Record<string, 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87'>> = {
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};

/** What the emulator needs of an end-entity certificate, worked out once per certificate: clients send the same one again and again. */
interface LeafFacts {
  readonly key: LeafKey;
  readonly serialNumber: string;
  readonly sourceIdentity: string;
}

const leafFacts = new WeakMap<CheckedCertificate, LeafFacts>();

function factsOf(leaf: CheckedCertificate): LeafFacts {
  const known = leafFacts.get(leaf);
  if (known) return known;
  const facts = {
    key: leafKey(leaf),
    serialNumber: BigInt(`0x${leaf.parsed.serialNumber}`).toString(),
    sourceIdentity: leaf.parsed.subjectName.getField('CN')[0] ?? leaf.parsed.serialNumber,
  };
  leafFacts.set(leaf, facts);
  return facts;
}

function leafKey(leaf: CheckedCertificate): LeafKey {
  const spki = Buffer.from(leaf.parsed.publicKey.rawData);
  const [algorithm, bits] = sequence(readRoot(spki));
  const oid = decodeOid(sequence(algorithm)[0]!);
  if (oid === '1.2.840.113549.1.1.1') return { type: 'RSA', keyObject: leaf.native.publicKey };
  if (oid === '1.2.840.10045.2.1') return { type: 'EC', keyObject: leaf.native.publicKey };
  const variant = ML_DSA_BY_OID[oid];
  if (!variant) throw accessDenied(`Unsupported key type ${oid} in the signing certificate`);
  return { type: variant, publicKey: decodeBitString(bits!) };
}

function parseAmzDate(value: string | string[] | undefined): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(value ?? ''));
  if (!match) throw accessDenied('Missing or malformed X-Amz-Date');
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

function receivedCertificate(value: string | string[] | undefined, header: string): CheckedCertificate {
  const text = String(value ?? '').trim();
  if (!text || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw accessDenied(`Missing or malformed ${header}`);
  try {
    return loadCertificate(Buffer.from(text, 'base64'));
  } catch {
    throw accessDenied(`${header} is not a certificate`);
  }
}

function parseBody(body: string): { durationSeconds: number; roleSessionName?: string } {
  let json: { durationSeconds?: unknown; roleSessionName?: unknown };
  try {
    json = JSON.parse(body);
  } catch {
    throw validationError('The request body is not JSON');
  }
  if (!Number.isInteger(json.durationSeconds)) throw validationError('durationSeconds must be an integer');
  if (json.roleSessionName !== undefined && typeof json.roleSessionName !== 'string') {
    throw validationError('roleSessionName must be a string');
  }
  return { durationSeconds: json.durationSeconds as number, roleSessionName: json.roleSessionName as string | undefined };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function respond(res: ServerResponse, status: number, body: string, errorType?: string): void {
  // With its length, as the service sends it, the answer is one write (not a chunk and then the last-chunk).
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomUUID(),
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  res.end(body);
}
