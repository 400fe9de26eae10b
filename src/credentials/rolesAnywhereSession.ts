import { HelperError } from '../errors.js';
import { decodePem } from '../keys/file/pem.js';
import { readInputFile } from '../keys/file/readInputFile.js';
import type { KeySource } from '../keys/keySource.js';
import { checkKeySourceOptions, resolveKeySource, type KeySourceOptions } from '../keys/resolveKeySource.js';
import { log } from '../log/logger.js';
import { createSession, type CreateSessionOptions } from '../session/createSession.js';
import { retryPolicyFromEnv } from '../session/retry.js';
import { resolveSessionConfig, type SessionConfig, type SessionInputs } from '../session/sessionConfig.js';
import { userAgent } from '../session/userAgent.js';
import type { RolesAnywhereCredentials } from './credentials.js';

export interface RolesAnywhereOptions extends SessionInputs, KeySourceOptions {
  /** false turns TLS verification of the endpoint off (--no-verify-ssl). */
  readonly verifyTls?: boolean | undefined;
  /** Per attempt: connect, send, read the answer. */
  readonly requestTimeoutMs?: number | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly now?: (() => Date) | undefined;
  readonly version: string;
}

/** A checked CreateSession set-up: call getCredentials as often as needed, close when done. */
export interface RolesAnywhereSession {
  readonly config: SessionConfig;
  readonly keySource: KeySource;
  getCredentials(): Promise<RolesAnywhereCredentials>;
  close(): Promise<void>;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Checks every input (ARNs, duration, session name, region, endpoint, proxy and CA settings, then the key
 * source) before anything is sent, so that a mistake is reported as what it is.
 */
export async function openRolesAnywhereSession(options: RolesAnywhereOptions): Promise<RolesAnywhereSession> {
  const env = options.env ?? process.env;
  checkKeySourceOptions(options);
  const config = resolveSessionConfig(options, env);
  const verifyTls = options.verifyTls ?? true;
  if (!verifyTls) {
    log('warning: TLS certificate verification of the endpoint is disabled (--no-verify-ssl)');
  }
  const sessionOptions: CreateSessionOptions = {
    transport: {
      verifyTls,
      // Only TLS uses it: with an http endpoint a (large, often system-wide) AWS_CA_BUNDLE is not read.
      caBundle: env.AWS_CA_BUNDLE && config.endpoint.protocol === 'https:' ? readCaBundle(env.AWS_CA_BUNDLE) : undefined,
      timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    },
    retry: retryPolicyFromEnv(env),
    userAgent: userAgent(options.version),
    now: options.now,
  };
  const keySource = await resolveKeySource(options);
  return {
    config,
    keySource,
    getCredentials: () => createSession(config, keySource, sessionOptions),
    close: () => keySource.close(),
  };
}

function readCaBundle(path: string): Buffer {
  const data = readInputFile(path, 'custom CA bundle (AWS_CA_BUNDLE)');
  if (!decodePem(data.toString('latin1')).some((block) => block.type === 'CERTIFICATE')) {
    throw new HelperError(`failed to load custom CA bundle PEM file ${path}: no CERTIFICATE block found`);
  }
  return data;
}
