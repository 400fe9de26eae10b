import { OUT_OF_FILE_DESCRIPTORS } from '../files/describeFsError.js';
import { hostAndPort } from '../hostAndPort.js';
import { RETRYABLE_NETWORK_CODES } from './failureText.js';
import { TransportError } from './transportError.js';

/**
 * A socket's failure (the lookup, the connection, the TLS handshake and its verification) as a
 * TransportError in words, naming where it happened and what to do where there is something to do
 * (AWS_CA_BUNDLE for a private CA's certificate, https:// for a server that speaks plain HTTP), and
 * whether retrying may help (RETRYABLE_NETWORK_CODES) or another Region's endpoint may do better. `caBundle`
 * names the CAs given, if any, in place of Node's (see TransportOptions.caBundle). A TransportError (a
 * timeout or a stop, with which the attempt destroyed the socket) is its own account.
 */
export function describeNetworkError(error: NodeJS.ErrnoException, caBundle: string | undefined): TransportError {
  if (error instanceof TransportError) return error;
  const code = error.code ?? '';
  // Not worth retrying at once, but another Region's endpoint may resolve.
  if (code === 'ENOTFOUND') return new TransportError(`no such host (${error.message})`, false, true);
  if (code === 'EAI_AGAIN') return new TransportError(`the host name could not be resolved for now: DNS did not answer (${error.message})`, true);
  // What OpenSSL says of a server that answers a TLS hello in plain HTTP.
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || error.message.includes('wrong version number')) {
    return new TransportError('the server does not speak TLS (plain HTTP, where https:// was given?)', false);
  }
  if (code.startsWith('ERR_SSL_')) return new TransportError(`TLS handshake failed: ${handshakeFailure(error.message)}`, false);
  if (isTlsVerificationError(code)) {
    // Node ends a host name mismatch with the certificate's (possibly empty) list of names after a colon,
    // and Node 24 an unknown issuer with advice on its own flag (--use-system-ca) that the advice below replaces.
    const reason = error.message.replace(/; if the root CA is installed locally[^]*$/, '').replace(/[:\s]+$/, '');
    const advice = !UNKNOWN_ISSUER.has(code) ? '' : caBundle ? ` (no CA of the custom CA bundle ${caBundle}, issued it)` : ' (set AWS_CA_BUNDLE to trust a private CA)';
    return new TransportError(`TLS certificate verification failed: ${reason}${advice}`, false);
  }
  // Node's `connect EMFILE 127.0.0.1:443 - Local (undefined:undefined)` (QA: ulimit -n).
  if (code === 'EMFILE' || code === 'ENFILE') return new TransportError(OUT_OF_FILE_DESCRIPTORS, false);
  // A host name of several addresses none of which connected: Node's AggregateError, whose message is empty
  // (QA: "ETIMEDOUT" alone, for a name whose every address was dead), holds each address's failure.
  if (error instanceof AggregateError) {
    const each = (error.errors as NodeJS.ErrnoException[]).map((failure) => `${addressOf(failure) ?? failure.message} (${failure.code ?? failure.message})`);
    return new TransportError(`could not connect to any address of the host: ${each.join(', ')}`, RETRYABLE_NETWORK_CODES.has(code));
  }
  const where = addressOf(error);
  // Node's `connect ENETUNREACH 10.0.0.1:443 - Local (0.0.0.0:0)`: Go's "network is unreachable", and where that happens.
  if (code === 'ENETUNREACH' && where) {
    return new TransportError(
      `the network is unreachable: this machine (or its network namespace: a container's, a systemd unit's with PrivateNetwork=yes) has no route to ${where} (connect ENETUNREACH)`,
      true,
    );
  }
  // Node's `connect ECONNREFUSED fd00::2:443`, whose IPv6 address runs into the port: bracketed, as Go writes it.
  if (where && error.syscall === 'connect' && where.startsWith('[')) return new TransportError(`connect ${code} ${where}`, RETRYABLE_NETWORK_CODES.has(code));
  return new TransportError(error.message || code || 'network error', RETRYABLE_NETWORK_CODES.has(code));
}

/** The address and port a socket error is about (`[fd00::2]:443` for IPv6), if it names them. */
function addressOf(error: NodeJS.ErrnoException): string | undefined {
  const { address, port } = error as { address?: string; port?: number };
  if (!address) return undefined;
  return hostAndPort(address, port!);
}

/** The verification failures a private CA causes, which trusting it (AWS_CA_BUNDLE) mends. */
const UNKNOWN_ISSUER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/**
 * OpenSSL's verification failures (X509_V_ERR_*, which Node gives as the code, and as UNSPECIFIED those it
 * has no name for: a certificate signed over SHA-1, a key too small) and Node's host name check.
 */
function isTlsVerificationError(code: string): boolean {
  return code.startsWith('ERR_TLS_CERT') || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO|INVALID_(CA|PURPOSE)|PATH_LENGTH|^UNSPECIFIED$/.test(code);
}

/**
 * What went wrong in a handshake, from OpenSSL's error line (`…:SSL routines:ssl3_read_bytes:tlsv13 alert
 * certificate required:../deps/openssl/…`): the server's alert, in words where it is a usual one.
 */
function handshakeFailure(message: string): string {
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1]?.trim() ?? message.trim();
  if (reason.endsWith('alert certificate required')) {
    return `the server asks for a client certificate, which the helper does not send (${reason})`;
  }
  if (reason.endsWith('alert protocol version') || reason === 'unsupported protocol') {
    return `the server speaks no TLS version the helper does (1.2 or 1.3) (${reason})`;
  }
  return reason;
}
