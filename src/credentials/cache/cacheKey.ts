import type { Env } from '../../context.js';
import { readInput, type Input } from '../../keys/input.js';
import { namedCertificateIdentity, namedKeyIdentity } from '../../keys/keyNamings.js';
import { DEFAULT_SESSION_DURATION } from '../../session/sessionDurations.js';
import { CHAINING_OPTIONS, MAX_CHAINED_DURATION } from '../../sts/chainingOptions.js';
import type { RolesAnywhereOptions } from '../rolesAnywhereSession.js';
import { ENDPOINT_VARIABLES } from './endpointVariables.js';
import { fnv64 } from './fnv64.js';

/**
 * The text that names a cache entry: the certificate itself (not its path: a renewed certificate is a new
 * entry; for a pkcs11: URI, the URI without its PIN, and the module), the chain, and every request option
 * and environment variable that decides the credentials, as given. It reads the certificate and chain and
 * nothing else (no key, no password, no PKCS#11 module, no TPM), and resolves nothing, so that a cache hit
 * costs little: inputs that would resolve to the same request but are given differently only get entries of
 * their own.
 */
export function cacheKeyMaterial(options: RolesAnywhereOptions, env: Env): string {
  const { certificate, intermediates } = options;
  const namedKey = namedKeyIdentity(options.privateKey);
  return JSON.stringify({
    // The entries' format: a build that stores them in a way an earlier one would misread (a new field that
    // limits when they are handed out, as the certificate's validity was) raises it, and its entries then have
    // names of their own, kept apart from the earlier build's rather than misread or replaced at each run
    // (two installs sharing the cache). Fields and markers it only adds need not: other builds pass them over.
    version: 2,
    certificate: certificate === undefined ? null : (namedCertificateIdentity(certificate, options) ?? certificatesOf(certificate, 'certificate')),
    chain: intermediates === undefined ? null : certificatesOf(intermediates, 'certificate bundle'),
    trustAnchorArn: options.trustAnchorArn ?? null,
    profileArn: options.profileArn ?? null,
    roleArn: options.roleArn ?? null,
    region: options.region ?? null,
    // The calling SDK client's Region (the library) counts only where nothing else gives one: a client in any
    // Region shares the entry of credential-process and of clients in other Regions.
    fallbackRegion: options.region || regionOf(options.trustAnchorArn) ? null : (options.fallbackRegion ?? null),
    endpoint: options.endpoint ?? null,
    durationSeconds: options.durationSeconds ?? DEFAULT_SESSION_DURATION,
    roleSessionName: options.roleSessionName ?? null,
    env: ENDPOINT_VARIABLES.map((name) => env[name] ?? null),
    // A key named beyond the certificate's (an agent key by its fingerprint) is part of what the command line
    // shows: an entry another key stored must not answer for one that is not the certificate's (QA). Only
    // then: other entries keep their key (and this field its name, which entries stored before were keyed by).
    ...(namedKey !== undefined ? { agentKey: namedKey } : {}),
    // Only when given: a plain CreateSession's entries keep the key they had.
    ...(options.useFipsEndpoint !== undefined ? { useFipsEndpoint: options.useFipsEndpoint } : {}),
    ...(options.useDualstackEndpoint !== undefined ? { useDualstackEndpoint: options.useDualstackEndpoint } : {}),
    // Each in one order of its fields, however the command line or the caller's object wrote them.
    ...(options.fallbacks?.length
      ? { fallbacks: options.fallbacks.map(({ trustAnchorArn, profileArn, endpoint, stsEndpoint }) => ({ trustAnchorArn, profileArn, endpoint, stsEndpoint })) }
      : {}),
    // Chaining options given without a role, or an empty role, are keyed too: the session refuses them, and
    // a cache hit must not answer for it with the plain CreateSession's entry.
    ...(options.assumeRoleArn !== undefined || options.stsEndpoint !== undefined || CHAINING_OPTIONS.some((name) => options[name] !== undefined)
      ? { assumeRole: chainedRoleKey(options, env) }
      : {}),
  });
}

/** The Region field of an ARN (`arn:aws:rolesanywhere:us-east-1:…`), empty if it has none. */
function regionOf(arn: string | undefined): string {
  return arn?.split(':')[3] ?? '';
}

/** The chained role's request, and where it goes: other credentials come from another role or STS. */
function chainedRoleKey(options: RolesAnywhereOptions, env: Env) {
  return {
    roleArn: options.assumeRoleArn ?? null,
    roleSessionName: options.assumeRoleSessionName ?? null,
    externalId: options.externalId ?? null,
    durationSeconds: options.assumeRoleDurationSeconds ?? MAX_CHAINED_DURATION,
    tags: options.assumeRoleTags ?? null,
    transitiveTagKeys: options.assumeRoleTransitiveTagKeys ?? null,
    stsEndpoint: options.stsEndpoint ?? null,
    env: env.AWS_ENDPOINT_URL_STS ?? null,
  };
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

/**
 * What of a file is its certificates: the text of its CERTIFICATE blocks (a combined file's key left out),
 * else, for DER or a PKCS#12 file (whose certificates a password may guard), a digest of its bytes, so that
 * an entry never holds encrypted key material. (String search, not a PEM parser with regular expressions,
 * whose compilation would be most of a cache hit's cost.)
 */
function certificatesOf(input: Input, what: string): string {
  const data = readInput(input, what);
  const text = data.toString('latin1');
  const blocks: string[] = [];
  for (let at = text.indexOf(BEGIN); at !== -1; at = text.indexOf(BEGIN, at + BEGIN.length)) {
    const end = text.indexOf(END, at);
    if (end === -1) break;
    blocks.push(text.slice(at + BEGIN.length, end));
  }
  return blocks.length ? blocks.join('|') : `bytes:${data.length}:${fnv64(text)}:${fnv64(text, 0x2545f491)}`;
}

/** The entry's file name: 64 bits of the material. */
export function cacheEntryName(material: string): string {
  return `${fnv64(material)}.json`;
}
