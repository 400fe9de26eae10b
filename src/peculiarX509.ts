/**
 * @peculiar/x509, ready to use: it needs Reflect's metadata functions (./reflectMetadata.ts) before it, and Node's WebCrypto
 * as its provider. The emulator and the test PKI use it; the client's start-up path never loads it.
 */
import './reflectMetadata.js';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
