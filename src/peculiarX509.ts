/**
 * What the code uses of @peculiar/x509, ready to use: it needs Reflect's metadata functions
 * (./reflectMetadata.ts) before it, and Node's WebCrypto as its provider. Imported as a namespace
 * (`import * as x509`); naming what is used lets the build leave the rest of the library out. The emulator
 * and the test PKI use it; the client's start-up path never loads it.
 */
import './reflectMetadata.js';
import { cryptoProvider } from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

cryptoProvider.set(webcrypto as unknown as Crypto);

export {
  BasicConstraintsExtension,
  Extension,
  GeneralName,
  KeyUsageFlags,
  KeyUsagesExtension,
  Name,
  PemConverter,
  SubjectAlternativeNameExtension,
  X509Certificate,
  X509CertificateGenerator,
  X509Crl,
  X509CrlGenerator,
  X509CrlReason,
} from '@peculiar/x509';
export type { GeneralNameType } from '@peculiar/x509';
