import { content, readRoot } from '../asn1/der.js';
import { x509 } from '../peculiarX509.js';

/**
 * The session tags the service's default attribute mapping makes of the end-entity certificate, and STS's
 * rules for them, written for the emulator: `check` has its own, and each is the other's test.
 */
interface SessionTag {
  readonly key: string;
  readonly value: string;
}

/** STS's session-tag rules (API_Tag): at most 50 tags; keys of 1–128 characters, values of 0–256 of these. */
const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Why the certificate's attributes cannot all become session tags, or undefined when they can. The mapping:
 * every subject and issuer attribute (`x509Subject/CN`, `x509Issuer/O`, …; a repeated one's values
 * joined), and the first DNS name, URI and directory name of the subjectAltName (`x509SAN/DNS`,
 * `x509SAN/URI`, `x509SAN/Name/<RDN>`).
 */
export function sessionTagProblem(certificate: x509.X509Certificate): string | undefined {
  const tags = defaultSessionTags(certificate);
  for (const { key, value } of tags) {
    // Keys are a prefix and an attribute's name or dotted OID: in the alphabet, and only an OID makes one long.
    if ([...key].length > MAX_KEY_LENGTH) return `the tag key ${key} is longer than ${MAX_KEY_LENGTH} characters`;
    if ([...value].length > MAX_VALUE_LENGTH) return `the value of ${key} is longer than ${MAX_VALUE_LENGTH} characters`;
    if (!TAG_TEXT.test(value)) return `the value of ${key}, ${JSON.stringify(value)}, has characters a tag value cannot have`;
  }
  if (tags.length > MAX_TAGS) return `${tags.length} tags, more than ${MAX_TAGS}`;
  return undefined;
}

function defaultSessionTags(certificate: x509.X509Certificate): SessionTag[] {
  const tags = [...nameTags('x509Subject', certificate.subjectName), ...nameTags('x509Issuer', certificate.issuerName)];
  const names = certificate.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  const first = (type: x509.GeneralNameType) => names.find((name) => name.type === type);
  const dns = first('dns');
  if (dns) tags.push({ key: 'x509SAN/DNS', value: dns.value });
  const uri = first('url');
  if (uri) tags.push({ key: 'x509SAN/URI', value: uri.value });
  const directoryName = first('dn');
  // A directoryName is `[4] EXPLICIT Name`.
  if (directoryName) tags.push(...nameTags('x509SAN/Name', new x509.Name(new Uint8Array(content(readRoot(Buffer.from(directoryName.rawData)))))));
  return tags;
}

/**
 * A tag per attribute, keyed by its short name (or its OID): "IAM Roles Anywhere combines multiple values
 * into a single string, separating them with forward slashes (/) in the order they appear" (User Guide).
 */
function nameTags(prefix: string, name: x509.Name): SessionTag[] {
  const valuesByType = new Map<string, string[]>();
  for (const rdn of name.toJSON()) {
    for (const [type, values] of Object.entries(rdn)) valuesByType.set(type, [...(valuesByType.get(type) ?? []), ...values]);
  }
  return [...valuesByType].map(([type, values]) => ({ key: `${prefix}/${type}`, value: values.join('/') }));
}
