import type { Certificate } from '../keys/certificate.js';
import { unsupportedKeyType } from '../keys/certificateChecks.js';
import type { SigningIdentity } from '../keys/keySource.js';
import { amzDate } from './amzDate.js';
import { canonicalRequest, sha256Hex, type SignableRequest } from './canonicalRequest.js';
import { signingAlgorithmFor } from './signingAlgorithm.js';

const SERVICE = 'rolesanywhere';

export interface SigningContext {
  readonly date: Date;
  /** The region in the credential scope. */
  readonly region: string;
}

/** A request signed with SigV4-X509, and the intermediate texts for --debug. */
export interface SignedRequest {
  /** The request's headers plus X-Amz-Date, X-Amz-X509, X-Amz-X509-Chain (if any) and Authorization. */
  readonly headers: Record<string, string>;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

/**
 * Signs a request the way IAM Roles Anywhere expects (SigV4 with the certificate's key): the X.509 headers
 * are added and signed with the others, the credential is the certificate's serial number in decimal, and the
 * signature is over the string to sign itself (RSA PKCS#1 v1.5 or ECDSA over its SHA-256, or pure ML-DSA).
 */
export async function signRequest(
  request: SignableRequest,
  identity: SigningIdentity & { certificate: Certificate },
  context: SigningContext,
): Promise<SignedRequest> {
  const { timestamp, shortDate } = amzDate(context.date);
  const headers: Record<string, string> = {
    ...request.headers,
    'X-Amz-Date': timestamp,
    'X-Amz-X509': identity.certificate.der.toString('base64'),
  };
  if (identity.chain.length > 0) {
    headers['X-Amz-X509-Chain'] = identity.chain.map((c) => c.der.toString('base64')).join(',');
  }
  const { keyType } = identity.publicKey;
  // Key sources refuse such a key as they read its certificate; were one to miss it, signingAlgorithmFor would take it for ML-DSA.
  if (!keyType) throw unsupportedKeyType(identity.publicKey, `with serial number ${identity.certificate.serialNumber}`);
  const algorithm = signingAlgorithmFor(keyType);
  const canonical = canonicalRequest({ ...request, headers });
  const scope = `${shortDate}/${context.region}/${SERVICE}/aws4_request`;
  const stringToSign = [algorithm, timestamp, scope, sha256Hex(canonical.text)].join('\n');
  const signature = await identity.sign(Buffer.from(stringToSign, 'utf8'), 'SHA256');
  headers.Authorization =
    `${algorithm} Credential=${identity.certificate.serialNumber}/${scope}, ` +
    `SignedHeaders=${canonical.signedHeaders}, Signature=${signature.toString('hex')}`;
  return { headers, canonicalRequest: canonical.text, stringToSign };
}
