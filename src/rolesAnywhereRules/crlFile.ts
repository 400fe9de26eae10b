import { HelperError } from '../errors.js';
import { decodePem, isPem, notPemOrDer } from '../asn1/pem.js';
import { readInputFile } from '../files/readInputFile.js';
import { parseCrl, type X509Crl } from '../x509/crl.js';

/**
 * How many DER nodes a CRL may hold: a CRL as large as ImportCrl takes (300,000 bytes) holds fewer than
 * 75,000, at 4 bytes or more a node (QA emu: a 118 KB CRL must be read). Bounded all the same, and counted
 * before the CRL is read, so that crafted input of 2-byte nodes is refused before it costs memory (review).
 */
export const CRL_MAX_NODES = 150_000;

/** OpenSSL writes `X509 CRL`; other tools (and RFC 7468's lax form) `CRL`. */
const CRL_PEM_TYPES = new Set(['X509 CRL', 'CRL']);

/**
 * The CRLs of a file the user named (`check --crl`, the emulator's --crl and config file), as ImportCrl
 * takes them: PEM CRL blocks, or one DER CRL. What is wrong with a file that holds none is said of the file, not in the
 * words of the DER reader.
 */
export function readCrlFile(path: string): X509Crl[] {
  const data = readInputFile(path, 'CRL');
  const fail = (reason: string) => new HelperError(`could not parse CRL ${path}: ${reason}`);
  const problem = notPemOrDer(data);
  if (problem) throw fail(problem);
  const ders = isPem(data)
    ? decodePem(data.toString('latin1'))
        .filter((block) => CRL_PEM_TYPES.has(block.type))
        .map((block) => block.der)
    : [data];
  if (ders.length === 0) throw fail('no X509 CRL block found');
  return ders.map((der) => {
    try {
      return parseCrl(der, CRL_MAX_NODES);
    } catch {
      throw fail('it is not an X.509 CRL (damaged, or another kind of DER)');
    }
  });
}
