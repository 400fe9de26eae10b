import { verify } from 'node:crypto';
import type { Context } from '../../context.js';
import { HelperError, reasonOf } from '../../errors.js';
import { option } from '../../optionNames.js';
import type { Certificate, PublicKeyInfo } from '../certificate.js';
import { certificateFromFile, readIntermediates } from '../file/certificateFile.js';
import { inputName, readInput } from '../input.js';
import { samePublicKey } from '../keyMatch.js';
import { nodeDigestName, type Digest, type KeySource, type KeySourceOptions, type SigningIdentity } from '../keySource.js';
import { AgentClient, AgentError, AgentRefusedError } from './agentClient.js';
import { agentCurveProblem, describeAgentKey, sshKeyOf, type AgentKey } from './agentKey.js';
import { refusalReason, replacementEntry } from './agentRefusal.js';
import { AgentSignatureError, serviceSignature, signatureRequest } from './agentSignature.js';
import { parseAgentKeySelector, type AgentKeySelector } from './keySelector.js';
import { wireText } from './sshWire.js';
import { reloadOnChange } from '../reloadOnChange.js';

/** How many of the agent's keys a message lists. */
const LISTED_KEYS = 10;

/**
 * A key held by an SSH agent (OpenSSH's ssh-agent, gpg-agent, Secretive, 1Password, a YubiKey behind
 * ssh-agent), reached at `SSH_AUTH_SOCK` of the context's environment; the certificate comes from a file.
 * The key never leaves the agent: it signs each request, and its signature is checked against the public
 * key before it is used.
 */
export async function openSshAgentKeySource(options: KeySourceOptions, context: Context): Promise<KeySource> {
  const keyName = options.privateKey as string; // the kind claims only ssh-agent names
  const selector = parseAgentKeySelector(keyName);
  if (!options.certificate && !options.certificateOptional) {
    throw new HelperError(`${option('privateKey')} ${keyName} needs ${option('certificate')}: an agent holds keys, not their X.509 certificates`);
  }
  if (selector.by === 'certificate' && !options.certificate) {
    throw new HelperError(
      `${option('privateKey')} ssh-agent uses the agent's key of the certificate, and no ${option('certificate')} was given ` +
        '(name the key as ssh-agent:SHA256:<fingerprint> to use it without one)',
    );
  }
  const socketPath = context.env.SSH_AUTH_SOCK;
  if (!socketPath) {
    throw new HelperError(`unable to use ${option('privateKey')} ${keyName}: SSH_AUTH_SOCK is not set, so there is no agent to ask`);
  }
  return new SshAgentKeySource(options, keyName, selector, new AgentClient(socketPath), context);
}

class SshAgentKeySource implements KeySource {
  readonly description: string;
  readonly #current: () => Promise<SigningIdentity>;

  constructor(
    private readonly options: KeySourceOptions,
    keyName: string,
    private readonly selector: AgentKeySelector,
    private readonly agent: AgentClient,
    private readonly context: Context,
  ) {
    this.description = keyName;
    this.#current = reloadOnChange(
      [options.certificate, options.intermediates],
      () => this.#load(),
      context.logger,
      'certificate files changed on disk; reading them again',
    );
  }

  /** The agent's keys are listed again only when the certificate or intermediates change on disk. */
  current(): Promise<SigningIdentity> {
    return this.#current();
  }

  async close(): Promise<void> {}

  async #load(): Promise<SigningIdentity> {
    const { certificate: certificateInput, intermediates } = this.options;
    const certificate = certificateInput ? certificateFromFile(readInput(certificateInput, 'certificate'), inputName(certificateInput)) : undefined;
    // Told before the agent is asked: whether it holds the key or not, it could not sign for the service (QA:
    // 'no key … is the key of' first, then, once the key was added, that it cannot be used).
    const curveProblem = certificate?.publicKey.keyType === 'EC' ? agentCurveProblem(certificate.publicKey.curve) : undefined;
    if (curveProblem) {
      throw new HelperError(`unable to use an ssh-agent key for ${inputName(certificateInput!)} (ECDSA ${certificate!.publicKey.curve}): ${curveProblem}`);
    }
    const keys = await this.#listKeys();
    const key = this.#select(keys, certificate);
    this.context.logger.debug(`ssh-agent: using ${key.fingerprint} (${key.label}) ${wireText(key.comment)}`);
    if (key.problem) throw new HelperError(`unable to use ssh-agent key ${key.fingerprint} (${key.label}): ${key.problem}`);
    if (certificate && !matches(key, certificate.publicKey)) {
      throw new HelperError(
        `private key does not match the certificate: ssh-agent key ${key.fingerprint} (${key.label}) is not the key of ${inputName(certificateInput!)}`,
      );
    }
    const chain: Certificate[] = readIntermediates(intermediates) ?? [];
    // A key that can sign has a public key; without a certificate, it is what signatures are checked with.
    const publicKey = certificate?.publicKey ?? key.publicKey!;
    const entry = { key };
    return { certificate, chain, publicKey, sign: (data, digest) => this.#sign(entry, publicKey, data, digest) };
  }

  #select(keys: AgentKey[], certificate: Certificate | undefined): AgentKey {
    const { selector } = this;
    // A key and its OpenSSH certificate are one key to the user: the first that can sign, else the first.
    const found = keys.filter((candidate) =>
      selector.by === 'fingerprint' ? candidate.fingerprint === selector.fingerprint : matches(candidate, certificate!.publicKey),
    );
    const key = found.find((candidate) => !candidate.problem) ?? found[0];
    if (key) return key;
    const ssh = selector.by === 'certificate' ? sshKeyOf(certificate!.publicKey) : undefined;
    const wanted =
      selector.by === 'fingerprint'
        ? `has fingerprint ${selector.fingerprint}`
        : `is the key of ${inputName(this.options.certificate!)}${ssh ? ` (${ssh.fingerprint}, ${ssh.label})` : ''}`;
    // A locked agent (ssh-add -x) answers as an empty one does. Agents of 1Password or Secretive may hold a
    // key per host: the first ones, with the comments ssh-add -l shows, on one line of a readable length.
    const listed = keys.slice(0, LISTED_KEYS).map((k) => `${k.fingerprint} (${k.label}${k.comment ? `, ${wireText(k.comment)}` : ''})`);
    const more = keys.length > LISTED_KEYS ? ` and ${keys.length - LISTED_KEYS} more (ssh-add -l lists them)` : '';
    const held = keys.length === 0 ? 'it holds no keys (or it is locked: ssh-add -X unlocks it)' : `it holds ${listed.join(', ')}${more}`;
    throw new HelperError(`no key in the ssh-agent at ${this.agent.socketPath} ${wanted}: ${held}`);
  }

  /** `entry.key` is the agent's entry of the key to sign with; it changes when the agent holds the key anew. */
  async #sign(entry: { key: AgentKey }, publicKey: PublicKeyInfo, data: Buffer, digest: Digest): Promise<Buffer> {
    const { key } = entry;
    const request = signatureRequest(key, digest);
    if (!request) {
      throw new HelperError(
        `unable to sign over ${digest} with ssh-agent key ${key.fingerprint} (${key.label}): ` +
          'agents sign over SHA256 or SHA512 with RSA keys, and over SHA256 with P-256 keys',
      );
    }
    const answer = await this.#agentSignature(entry, data, request.flags);
    const { key: signer } = entry;
    let signature: Buffer;
    try {
      signature = serviceSignature(answer, request);
    } catch (error) {
      if (!(error instanceof AgentSignatureError)) throw error;
      throw new HelperError(`unable to sign with ssh-agent key ${signer.fingerprint} (${signer.label}) at ${this.agent.socketPath}: ${error.message}`);
    }
    const spki = { key: publicKey.spki, format: 'der', type: 'spki', dsaEncoding: 'der' } as const;
    if (!verify(nodeDigestName[digest], data, spki, signature)) {
      throw new HelperError(
        `unable to sign with ssh-agent key ${signer.fingerprint} (${signer.label}) at ${this.agent.socketPath}: the agent's signature does not verify with the public key`,
      );
    }
    return signature;
  }

  /**
   * The agent's signature with `entry.key`. After a refusal, the keys are listed again: the key may be in
   * the agent anew (see replacementEntry), and a long-running command goes on with that entry rather than
   * failing until restarted; else the listing tells why the agent refused.
   */
  async #agentSignature(entry: { key: AgentKey }, data: Buffer, flags: number): Promise<Buffer> {
    for (let attempt = 1; ; attempt++) {
      const { key } = entry;
      try {
        return await this.agent.sign(key.blob, data, flags);
      } catch (error) {
        if (!(error instanceof AgentRefusedError)) throw this.#failure(error, 'sign with', key);
        const keys = await this.#listKeys();
        const replacement = attempt === 1 ? replacementEntry(key, keys) : undefined;
        if (!replacement) {
          throw new HelperError(`unable to sign with ssh-agent key ${key.fingerprint} (${key.label}) at ${this.agent.socketPath}: ${refusalReason(key, keys)}`);
        }
        this.context.logger.debug(`ssh-agent: ${key.fingerprint} (${key.label}) left the agent; signing with its ${replacement.label} entry`);
        entry.key = replacement;
      }
    }
  }

  async #listKeys(): Promise<AgentKey[]> {
    return (await this.#agentCall(() => this.agent.listIdentities(), 'list the keys of')).map(describeAgentKey);
  }

  /** An agent request, its failure told as `unable to <action> the ssh-agent at <socket>: <reason>`. */
  async #agentCall<T>(call: () => Promise<T>, action: string): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#failure(error, action);
    }
  }

  /** `unable to <action> the ssh-agent [key] at <socket>: <reason>`, for an agent's failure; another error as it is. */
  #failure(error: unknown, action: string, key?: AgentKey): unknown {
    if (!(error instanceof AgentError)) return error;
    const what = key ? `ssh-agent key ${key.fingerprint} (${key.label})` : 'the ssh-agent';
    return new HelperError(`unable to ${action} ${what} at ${this.agent.socketPath}: ${reasonOf(error)}`);
  }
}

function matches(key: AgentKey, publicKey: PublicKeyInfo): boolean {
  return key.publicKey !== undefined && (samePublicKey(key.publicKey, publicKey) || key.publicKey.spki.equals(publicKey.spki));
}
