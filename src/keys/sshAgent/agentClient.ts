import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { describeFsError } from '../../files/describeFsError.js';
import { fileKind } from '../../files/fileKind.js';
import { WireFormatError, WireReader, wireString, wireUint32 } from './sshWire.js';

/** Message numbers of the agent protocol (draft-ietf-sshm-ssh-agent, OpenSSH's PROTOCOL.agent). */
const REQUEST_IDENTITIES = 11;
const IDENTITIES_ANSWER = 12;
const SIGN_REQUEST = 13;
const SIGN_RESPONSE = 14;

/**
 * The answers that mean failure: SSH_AGENT_FAILURE (5), and, as OpenSSH's own client also reads them,
 * SSH2_AGENT_FAILURE (30) and SSH_COM_AGENT2_FAILURE (102), which older and other agents send.
 */
const FAILURES: ReadonlySet<number> = new Set([5, 30, 102]);

/** Sign-request flags: which hash an RSA key signs with (the default, 0, is SHA-1). */
export const RSA_SHA2_256 = 2;
export const RSA_SHA2_512 = 4;

/** OpenSSH's own limit on an agent message; an answer larger than this is not an agent's. */
const MAX_MESSAGE = 256 * 1024;

/** A key the agent holds, as it lists it. */
export interface AgentIdentity {
  readonly keyBlob: Buffer;
  readonly comment: string;
}

export interface AgentTimeouts {
  /** For connecting and listing keys, which an agent does at once. */
  readonly listMs: number;
  /** For a signature, which may wait for a touch, a fingerprint or a confirmation dialog. */
  readonly signMs: number;
}

const DEFAULT_TIMEOUTS: AgentTimeouts = { listMs: 5_000, signMs: 60_000 };

/** Why a request to the agent came to nothing; the message is the reason, the caller names the agent. */
export class AgentError extends Error {}

/** The agent answered failure to a sign request: it would not (or could not) use the key. */
export class AgentRefusedError extends AgentError {}

/**
 * A client of the agent protocol over the agent's UNIX socket: list the keys, sign with one. Each request
 * has a connection of its own, so that nothing stays open between the signatures of a long-running command.
 */
export class AgentClient {
  constructor(
    readonly socketPath: string,
    private readonly timeouts: AgentTimeouts = DEFAULT_TIMEOUTS,
  ) {}

  async listIdentities(): Promise<AgentIdentity[]> {
    const answer = await this.#request(REQUEST_IDENTITIES, Buffer.alloc(0), this.timeouts.listMs);
    if (FAILURES.has(answer.type)) throw new AgentError('the agent refused');
    if (answer.type !== IDENTITIES_ANSWER) throw unexpected(answer.type, 'a list of keys');
    return parsed('list of keys', () => {
      const count = answer.body.uint32();
      const identities: AgentIdentity[] = [];
      for (let i = 0; i < count; i++) identities.push({ keyBlob: answer.body.string(), comment: answer.body.text() });
      return identities;
    });
  }

  /** The agent's signature (`string format, string blob`) over `data` with the key of `keyBlob`. */
  async sign(keyBlob: Buffer, data: Buffer, flags: number): Promise<Buffer> {
    const request = Buffer.concat([wireString(keyBlob), wireString(data), wireUint32(flags)]);
    const answer = await this.#request(SIGN_REQUEST, request, this.timeouts.signMs);
    if (FAILURES.has(answer.type)) throw new AgentRefusedError('the agent refused');
    if (answer.type !== SIGN_RESPONSE) throw unexpected(answer.type, 'a signature');
    return parsed('signature', () => answer.body.string());
  }

  #request(type: number, payload: Buffer, timeoutMs: number): Promise<{ type: number; body: WireReader }> {
    return new Promise((resolve, reject) => {
      // An object: a path such as `4444` or ` ` is a file, where a string that reads as a number is a TCP port.
      const socket = connect({ path: this.socketPath });
      const chunks: Buffer[] = [];
      let received = 0;
      const finish = (error: Error | undefined, answer?: Buffer) => {
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolve({ type: answer![0]!, body: new WireReader(answer!.subarray(1)) });
      };
      // OpenSSH's agent answers no one while it waits on a confirmation of another run's signature (QA agent).
      const busy = type === REQUEST_IDENTITIES ? ' (OpenSSH\'s agent answers no one while it asks to confirm a signature, ssh-add -c)' : '';
      const timer = setTimeout(() => finish(new AgentError(`no answer within ${timeoutMs / 1000} s${busy}`)), timeoutMs);
      socket.on('connect', () => socket.write(Buffer.concat([wireUint32(payload.length + 1), Buffer.of(type), payload])));
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (received < 4) return;
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const length = all.readUInt32BE(0);
        if (length === 0 || length > MAX_MESSAGE) {
          finish(new AgentError(notAnAnswer(all, length)));
        } else if (received >= 4 + length) {
          finish(undefined, all.subarray(4, 4 + length));
        }
      });
      socket.on('error', (error: NodeJS.ErrnoException) => finish(new AgentError(connectionProblem(error, this.socketPath))));
      socket.on('close', () => finish(new AgentError('the agent closed the connection without answering')));
    });
  }
}

/** The bytes of path a Unix socket address holds (sun_path less its NUL): Node 20 answers a longer path ENOENT, Node 24 EINVAL. */
const MAX_SOCKET_PATH = process.platform === 'linux' ? 107 : 103;

function connectionProblem(error: NodeJS.ErrnoException, socketPath: string): string {
  const bytes = Buffer.byteLength(socketPath);
  if (bytes > MAX_SOCKET_PATH) {
    return `its path is ${bytes} bytes, more than the ${MAX_SOCKET_PATH} a Unix socket address holds: set SSH_AUTH_SOCK to a shorter link to it`;
  }
  if (error.code === 'ECONNREFUSED') return notSocket(socketPath) ?? 'connection refused (no agent listens on the socket)';
  if (error.code === 'ENOTSOCK') return 'not a socket';
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return 'the agent closed the connection';
  return describeFsError(error);
}

/** What the path is when it is not a socket (connecting to a file or folder is refused as to a dead socket). */
function notSocket(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (stat.isSocket()) return undefined;
    return `not a socket: it is ${fileKind(stat)}`;
  } catch {
    return undefined;
  }
}

/**
 * Why an answer of a length no agent sends is not one. A server of a text protocol is quoted, its first line
 * read as a length being what got here: the GnuPG sockets (gpg-agent's own, for SSH_AUTH_SOCK set to
 * `gpgconf --list-dirs agent-socket` where agent-ssh-socket was meant) greet with `OK Pleased to meet you`.
 */
function notAnAnswer(answer: Buffer, length: number): string {
  const text = /^[\x20-\x7e]{4,}/.exec(answer.subarray(0, 60).toString('latin1'))?.[0];
  if (!text) return `the agent answered a message of ${length} bytes, which is not an agent's answer`;
  const what = text.startsWith('OK ')
    ? "a GnuPG socket; gpg-agent's for SSH is the one gpgconf --list-dirs agent-ssh-socket prints"
    : 'no SSH agent listens there';
  return `it answered in text ("${text}"), not the agent protocol: ${what}`;
}

function unexpected(type: number, wanted: string): AgentError {
  return new AgentError(`the agent answered message type ${type} where ${wanted} was expected`);
}

function parsed<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof WireFormatError) throw new AgentError(`the agent's ${what} is malformed: ${error.message}`);
    throw error;
  }
}
