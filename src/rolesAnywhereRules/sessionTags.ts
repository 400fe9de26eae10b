import { content, readRoot } from '../asn1/der.js';
import * as x509 from '../peculiarX509.js';
import type { SessionTag } from './sessionTagRules.js';

/**
 * Attribute names beyond @peculiar/x509's own (CN, L, ST, O, OU, C, DC, E, G, I, SN, T), as they appear in
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
export function defaultSessionTags(certificate: x509.X509Certificate): SessionTag[] {
  const tags = [...nameTags('x509Subject', certificate.subjectName), ...nameTags('x509Issuer', certificate.issuerName)];
  const names = certificate.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  const firstOf = (type: x509.GeneralNameType) => names.find((name) => name.type === type);
  const dns = firstOf('dns');
  if (dns) tags.push({ key: 'x509SAN/DNS', value: dns.value });
  const uri = firstOf('url');
  if (uri) tags.push({ key: 'x509SAN/URI', value: uri.value });
  const directoryName = firstOf('dn');
  if (directoryName) tags.push(...nameTags('x509SAN/Name', directoryNameOf(directoryName)));
  return tags;
}

/**
 * One tag per attribute, in the order each first appears; the values of a repeated attribute (several OU)
 * joined with "/" in the certificate's order: "IAM Roles Anywhere combines multiple values into a single
 * string, separating them with forward slashes (/) in the order they appear" (User Guide, Trust policy).
 */
function nameTags(prefix: string, name: x509.Name): SessionTag[] {
  const named = new x509.Name(name.toArrayBuffer(), MORE_ATTRIBUTE_NAMES);
  const valuesByType = new Map<string, string[]>();
  for (const rdn of named.toJSON()) {
    for (const [type, values] of Object.entries(rdn)) valuesByType.set(type, [...(valuesByType.get(type) ?? []), ...values]);
  }
  return [...valuesByType].map(([type, values]) => ({ key: `${prefix}/${type}`, value: values.join('/') }));
}

/** A directoryName GeneralName is `[4] EXPLICIT Name`. */
function directoryNameOf(generalName: x509.GeneralName): x509.Name {
  return new x509.Name(new Uint8Array(content(readRoot(Buffer.from(generalName.rawData)))));
}
