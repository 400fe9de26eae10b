/**
 * @peculiar/x509, an X.509 library independent of the project's own (src/x509), for the tests: it makes
 * certificates the PKI cannot (another key's signature, inverted dates) and reads what the PKI makes, which
 * cross-checks its encoder. It needs Reflect's metadata functions (reflect-metadata) and Node's WebCrypto.
 */
import 'reflect-metadata';
import { cryptoProvider } from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

cryptoProvider.set(webcrypto as unknown as Crypto);

export * from '@peculiar/x509';
