import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../../src/http/networkError.js';
import { OUT_OF_FILE_DESCRIPTORS } from '../../../src/files/describeFsError.js';

/** A socket error as Node gives it: a message, a code, and for connect failures the address and port. */
const failure = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields) as NodeJS.ErrnoException;
const described = (error: NodeJS.ErrnoException, caBundle?: string) => {
  const { message, retryable, unreachable } = describeNetworkError(error, caBundle);
  return { message, retryable, unreachable };
};

// The e2e tests meet only the failures a test can cause on loopback; these are the rest (QA mutation testing: each survived).
describe('describeNetworkError', () => {
  it('says a host DNS does not know is no such host: not worth retrying, but another Region may resolve', () => {
    expect(described(failure('getaddrinfo ENOTFOUND rolesanywhere.example', { code: 'ENOTFOUND' }))).toEqual({
      message: 'no such host (getaddrinfo ENOTFOUND rolesanywhere.example)',
      retryable: false,
      unreachable: true,
    });
  });

  it("says a server that answers TLS in plain HTTP does not speak TLS, by OpenSSL's words where the code is another", () => {
    const error = failure('write EPROTO 140:error:1408F10B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/ssl/record/ssl3_record.c:332:', { code: 'EPROTO' });
    expect(described(error)).toMatchObject({ message: 'the server does not speak TLS (plain HTTP, where https:// was given?)', retryable: false });
  });

  it('says a server that shares no TLS version is that, in words', () => {
    const error = failure('C0D7:error:0A000102:SSL routines::unsupported protocol:../deps/openssl/openssl/ssl/statem/statem_lib.c:1994:', { code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' });
    expect(described(error).message).toBe('TLS handshake failed: the server speaks no TLS version the helper does (1.2 or 1.3) (unsupported protocol)');
  });

  it("advises AWS_CA_BUNDLE for an unknown issuer in place of Node 24's advice on its own flag, or names the bundle given", () => {
    const error = () => failure('unable to get local issuer certificate; if the root CA is installed locally, try running Node.js with --use-system-ca', { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
    expect(described(error())).toEqual({ message: 'TLS certificate verification failed: unable to get local issuer certificate (set AWS_CA_BUNDLE to trust a private CA)', retryable: false, unreachable: false });
    expect(described(error(), 'ca.pem, which AWS_CA_BUNDLE names').message).toBe('TLS certificate verification failed: unable to get local issuer certificate (no CA of the custom CA bundle ca.pem, which AWS_CA_BUNDLE names, issued it)');
  });

  it('gives no such advice where trusting a CA would not help, and takes a failure OpenSSL has no name for as a verification failure', () => {
    expect(described(failure('certificate has expired', { code: 'CERT_HAS_EXPIRED' })).message).toBe('TLS certificate verification failed: certificate has expired');
    expect(described(failure('unspecified certificate verification error', { code: 'UNSPECIFIED' })).message).toBe('TLS certificate verification failed: unspecified certificate verification error');
  });

  it('says the system is out of file descriptors for ENFILE as for EMFILE', () => {
    expect(described(failure('connect ENFILE 127.0.0.1:443 - Local (undefined:undefined)', { code: 'ENFILE' })).message).toBe(OUT_OF_FILE_DESCRIPTORS);
  });

  it("says each address's failure where none of a name's connected, worth retrying by the code", () => {
    const errors = [
      failure('connect ECONNREFUSED 192.0.2.1:443', { code: 'ECONNREFUSED', address: '192.0.2.1', port: 443 }),
      failure('connect ENETUNREACH 2001:db8::1:443', { code: 'ENETUNREACH', address: '2001:db8::1', port: 443 }),
    ];
    const error = Object.assign(new AggregateError(errors, ''), { code: 'ECONNREFUSED' }) as unknown as NodeJS.ErrnoException;
    expect(described(error)).toEqual({
      message: 'could not connect to any address of the host: 192.0.2.1:443 (ECONNREFUSED), [2001:db8::1]:443 (ENETUNREACH)',
      retryable: true,
      unreachable: true,
    });
  });

  it('says a network with no route where it leads, worth retrying', () => {
    expect(described(failure('connect ENETUNREACH 10.0.0.1:443 - Local (0.0.0.0:0)', { code: 'ENETUNREACH', address: '10.0.0.1', port: 443, syscall: 'connect' }))).toMatchObject({
      message: expect.stringMatching(/^the network is unreachable: .* has no route to 10\.0\.0\.1:443 \(connect ENETUNREACH\)$/),
      retryable: true,
    });
  });
});
