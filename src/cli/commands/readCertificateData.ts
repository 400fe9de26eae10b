import { readCertificateFile } from '../../keys/file/certificateFile.js';
import { Oid } from '../../keys/oids.js';
import { certStoreUnsupported, isPkcs11Uri } from '../../keys/resolveKeySource.js';
import { parseCertSelector } from '../../keys/certStore/certSelector.js';
import { applyDebugFlag } from '../commandOptions.js';
import type { FlagValues } from '../commandLine.js';
import { writeOut } from '../../stdio.js';

/** `{"keyType","certificateData","serialNumber","supportedAlgorithms"}` for a certificate file, no newline. */
export async function run(flags: FlagValues): Promise<void> {
  applyDebugFlag(flags);
  const path = flags.certificate as string | undefined;
  if (flags['cert-selector'] !== undefined) parseCertSelector(flags['cert-selector'] as string);
  if (!path) throw certStoreUnsupported();
  if (isPkcs11Uri(path)) {
    const { listPkcs11Certificates } = await import('../../keys/pkcs11/listCertificates.js');
    writeOut(await listPkcs11Certificates({ uri: path, pkcs11Lib: (flags['pkcs11-lib'] as string) || undefined }));
    return;
  }
  const certificate = readCertificateFile(path);
  const { keyType, algorithmOid } = certificate.publicKey;
  let reportedType: string = keyType ?? '';
  let algorithms = ['SHA256', 'SHA384', 'SHA512'];
  if (algorithmOid === Oid.rsaEncryption) {
    reportedType = 'RSA';
    algorithms = algorithms.map((digest) => `RSA${digest}`);
  } else if (algorithmOid === Oid.ecPublicKey) {
    reportedType = 'EC';
    algorithms = algorithms.map((digest) => `EC${digest}`);
  } else if (keyType) {
    algorithms = [keyType];
  }
  writeOut(
    JSON.stringify({
      keyType: reportedType,
      certificateData: certificate.der.toString('base64'),
      serialNumber: certificate.serialNumber.toString(),
      supportedAlgorithms: algorithms,
    }),
  );
}
