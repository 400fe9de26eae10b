import { parseCertSelector } from '../../../keys/certSelector.js';
import { unsupportedKeyType } from '../../../keys/certificateChecks.js';
import { readCertificate } from '../../../keys/file/certificateFile.js';
import { inputName } from '../../../keys/input.js';
import { Oid } from '../../../keys/oids.js';
import { certStoreUnsupported, listNamedCertificates } from '../../../keys/resolveKeySource.js';
import { writeOut } from '../../../stdio.js';
import type { CommandRun } from '../../command.js';
import { flagInput } from '../../flagSources.js';
import type { READ_CERTIFICATE_DATA_FLAGS } from './flags.js';

/**
 * `{"keyType","certificateData","serialNumber","supportedAlgorithms"}` for a certificate (a file, `env:NAME`
 * or `-`), no newline.
 */
export const run: CommandRun<typeof READ_CERTIFICATE_DATA_FLAGS> = async (flags, context) => {
  const path = flags.certificate;
  if (flags['cert-selector'] !== undefined) parseCertSelector(flags['cert-selector']);
  if (!path) throw certStoreUnsupported(true);
  // A certificate named otherwise than by a file (a pkcs11: URI): every one it names, as its key source lists them.
  const listing = await listNamedCertificates(path, { pkcs11Lib: flags['pkcs11-lib'] || undefined }, context);
  if (listing !== undefined) {
    writeOut(listing);
    return;
  }
  const input = flagInput(path, 'certificate', context)!;
  const certificate = readCertificate(input, 'which read-certificate-data does not read: give its certificate as PEM or DER');
  const { keyType, algorithmOid } = certificate.publicKey;
  let reportedType: string = keyType ?? '';
  let algorithms = ['SHA256', 'SHA384', 'SHA512'];
  if (algorithmOid === Oid.rsaEncryption) {
    reportedType = 'RSA';
    algorithms = algorithms.map((digest) => `RSA${digest}`);
  } else if (algorithmOid === Oid.ecPublicKey) {
    // An EC key on a curve the helper cannot sign with: the reference's Go parser refuses the certificate too,
    // but for P-224, which it reads (a listed difference: Roles Anywhere takes no P-224 key).
    if (!keyType) throw unsupportedKeyType(certificate.publicKey, inputName(input));
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
};
