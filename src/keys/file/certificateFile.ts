import { HelperError } from '../../errors.js';
import { option } from '../../optionNames.js';
import { CertificateParseError, parseCertificate, type Certificate } from '../certificate.js';
import { decodePem, isPem, notPemOrDer } from './pem.js';
import { looksLikePkcs12 } from './pkcs12KeySourceKind.js';
import { inputName, readInput, type Input } from '../input.js';

/** The end-entity certificate of a file: the first CERTIFICATE block of a PEM file, or a DER file. */
export function certificateFromFile(data: Buffer, path: string): Certificate {
  let der = data;
  if (isPem(data)) {
    const block = decodePem(data.toString('latin1')).find((b) => b.type === 'CERTIFICATE');
    if (!block) throw new HelperError(`could not parse PEM data in ${path}: no CERTIFICATE block found`);
    der = block.der;
  } else {
    checkDer(data, path);
  }
  return parseOrExplain(der, path);
}

export function readCertificate(input: Input): Certificate {
  return certificateFromFile(readInput(input, 'certificate'), inputName(input));
}

/** An --intermediates bundle: every PEM block must be a certificate; a DER file holds one. */
export function readCertificateBundle(input: Input): Certificate[] {
  const path = inputName(input);
  const data = readInput(input, 'certificate bundle');
  if (!isPem(data)) {
    checkDer(data, path);
    return [parseOrExplain(data, path)];
  }
  const blocks = decodePem(data.toString('latin1'));
  const other = blocks.find((b) => b.type !== 'CERTIFICATE');
  if (other) throw new HelperError(`invalid certificate chain ${path}: it holds a ${other.type} block`);
  return blocks.map((block) => parseOrExplain(block.der, path));
}

/** Says what a file that is not PEM is, when it is plainly no DER certificate: empty, text, or PKCS#12. */
function checkDer(data: Buffer, path: string): void {
  const pkcs12 = `it is a PKCS#12 file, which is read as ${option('certificate')} without ${option('privateKey')}`;
  const what = notPemOrDer(data) ?? (looksLikePkcs12(data) ? pkcs12 : undefined);
  if (what) throw new HelperError(`could not parse certificate ${path}: ${what}`);
}

function parseOrExplain(der: Buffer, path: string): Certificate {
  try {
    return parseCertificate(der);
  } catch (error) {
    if (error instanceof CertificateParseError) {
      throw new HelperError(`could not parse certificate ${path}: ${error.message}`);
    }
    throw error;
  }
}
