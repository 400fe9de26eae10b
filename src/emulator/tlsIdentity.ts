import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { EmulatorSetupError } from './emulatorOptions.js';

/**
 * The `tls` option checked before the server is made of it, so that a wrong value is an EmulatorSetupError
 * naming the key rather than OpenSSL's `error:0480006C:PEM routines::no start line`.
 */
export function checkTlsIdentity(tls: { readonly certificate: string; readonly privateKey: string }): void {
  try {
    new X509Certificate(tls.certificate);
  } catch {
    throw new EmulatorSetupError('tls.certificate', 'not a PEM-encoded X.509 certificate');
  }
  try {
    createPrivateKey(tls.privateKey);
  } catch {
    throw new EmulatorSetupError('tls.privateKey', 'not a PEM-encoded private key (an encrypted one cannot be used)');
  }
  try {
    createSecureContext({ cert: tls.certificate, key: tls.privateKey });
  } catch {
    throw new EmulatorSetupError('tls.privateKey', 'not the key of tls.certificate');
  }
}
