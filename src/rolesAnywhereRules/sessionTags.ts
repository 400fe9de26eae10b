import { attributeTypeName } from '../x509/attributeTypes.js';
import type { X509Certificate } from '../x509/x509Certificate.js';
import type { DistinguishedName } from '../x509/name.js';
import type { SessionTag } from './sessionTagRules.js';

/**
 * Attribute names beyond those messages use (CN, L, ST, O, OU, C, DC, E, G, I, SN, T: ATTRIBUTE_TYPES), as they appear in
 * tag keys: the service maps "all supported" RDNs, which it does not list, and names UID as a specifier
 * (API_MappingRule); these are the common ones. Any other attribute is keyed by its dotted OID.
 */
const MORE_ATTRIBUTE_NAMES = { STREET: '2.5.4.9', SERIALNUMBER: '2.5.4.5', POSTALCODE: '2.5.4.17', UID: '0.9.2342.19200300.100.1.1' };

/**
 * The session tags the service's default attribute mapping makes of the end-entity certificate, held once
 * for `check` and the emulator: every subject and issuer attribute (`x509Subject/CN`, `x509Issuer/O`, ...),
 * and the first DNS name, URI and directory name of the subjectAltName (`x509SAN/DNS`, `x509SAN/URI`,
 * `x509SAN/Name/CN`, ...).
 */
export function defaultSessionTags(certificate: X509Certificate): SessionTag[] {
  const tags = [...nameTags('x509Subject', certificate.subjectName), ...nameTags('x509Issuer', certificate.issuerName)];
  const [dns] = certificate.subjectAltNames?.dns ?? [];
  if (dns !== undefined) tags.push({ key: 'x509SAN/DNS', value: dns });
  const [uri] = certificate.subjectAltNames?.uri ?? [];
  if (uri !== undefined) tags.push({ key: 'x509SAN/URI', value: uri });
  const [directoryName] = certificate.subjectAltNames?.directoryNames ?? [];
  if (directoryName) tags.push(...nameTags('x509SAN/Name', directoryName));
  return tags;
}

/**
 * One tag per attribute, in the order each first appears; the values of a repeated attribute (several OU)
 * joined with "/" in the certificate's order: "IAM Roles Anywhere combines multiple values into a single
 * string, separating them with forward slashes (/) in the order they appear" (User Guide, Trust policy).
 */
function nameTags(prefix: string, name: DistinguishedName): SessionTag[] {
  const valuesByType = new Map<string, string[]>();
  for (const { type, value } of name.flat()) {
    const named = attributeTypeName(type, MORE_ATTRIBUTE_NAMES) ?? type;
    valuesByType.set(named, [...(valuesByType.get(named) ?? []), value]);
  }
  return [...valuesByType].map(([type, values]) => ({ key: `${prefix}/${type}`, value: values.join('/') }));
}
