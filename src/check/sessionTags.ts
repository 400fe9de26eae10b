import { content, readRoot } from '../asn1/der.js';
import { x509 } from '../peculiarX509.js';
import { fail, pass, type Finding } from './findings.js';
import type { InspectedCertificate } from './inspectedCertificate.js';

export interface SessionTag {
  readonly key: string;
  readonly value: string;
}

/**
 * Attribute names beyond @peculiar/x509's own (CN, L, ST, O, OU, C, DC, E, G, I, SN, T), as they appear
 * in tag keys. Which RDNs the service "supports" is not published; these are the common ones.
 */
const MORE_ATTRIBUTE_NAMES = { STREET: '2.5.4.9', SERIALNUMBER: '2.5.4.5', POSTALCODE: '2.5.4.17', UID: '0.9.2342.19200300.100.1.1' };

/** STS's rules for session tags (API_Tag): at most 50, keys of 1–128 and values of 0–256 of these characters. */
const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const TAG_CHARACTER = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;

/**
 * The session tags the service's default attribute mapping makes of a certificate: every subject and
 * issuer attribute (`x509Subject/CN`, `x509Issuer/O`, ...; a repeated one's values joined with "/"), and
 * the first DNS name, URI and directory name of the subjectAltName (`x509SAN/DNS`, `x509SAN/URI`,
 * `x509SAN/Name/CN`, ...).
 */
export function defaultSessionTags(certificate: InspectedCertificate): SessionTag[] {
  const { parsed } = certificate;
  const tags = [...nameTags('x509Subject', parsed.subjectName), ...nameTags('x509Issuer', parsed.issuerName)];
  const names = parsed.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  const firstOf = (type: x509.GeneralNameType) => names.find((name) => name.type === type);
  const dns = firstOf('dns');
  if (dns) tags.push({ key: 'x509SAN/DNS', value: dns.value });
  const uri = firstOf('url');
  if (uri) tags.push({ key: 'x509SAN/URI', value: uri.value });
  const directoryName = firstOf('dn');
  if (directoryName) tags.push(...nameTags('x509SAN/Name', directoryNameOf(directoryName)));
  return tags;
}

/** A finding for each tag STS would be sent, and one for their number. */
export function sessionTagFindings(tags: readonly SessionTag[]): Finding[] {
  const findings = tags.map(tagFinding);
  findings.push(
    tags.length > MAX_TAGS
      ? fail('sessionTagCount', `${tags.length} session tags: STS accepts at most ${MAX_TAGS} (a profile's attribute mapping can map fewer attributes)`)
      : pass('sessionTagCount', `${tags.length} session tags (STS accepts at most ${MAX_TAGS})`),
  );
  return findings;
}

function tagFinding(tag: SessionTag): Finding {
  const shown = `session tag ${tag.key} = ${JSON.stringify(tag.value)}`;
  const problems: string[] = [];
  const keyLength = [...tag.key].length;
  const valueLength = [...tag.value].length;
  if (keyLength > MAX_KEY_LENGTH) problems.push(`its key has ${keyLength} characters, over STS's ${MAX_KEY_LENGTH}`);
  if (valueLength > MAX_VALUE_LENGTH) problems.push(`its value has ${valueLength} characters, over STS's ${MAX_VALUE_LENGTH}`);
  const refusedInKey = refusedCharacters(tag.key);
  if (refusedInKey) problems.push(`STS refuses ${refusedInKey} in tag keys`);
  const refusedInValue = refusedCharacters(tag.value);
  if (refusedInValue) problems.push(`STS refuses ${refusedInValue} in tag values`);
  if (problems.length > 0) return fail('sessionTag', `${shown}: ${problems.join('; ')}`, { tag });
  return pass('sessionTag', shown, { tag });
}

/** The characters outside STS's tag alphabet, quoted and listed once each (`"(", ")"`), or undefined. */
export function refusedCharacters(text: string, allowed: RegExp = TAG_CHARACTER): string | undefined {
  const refused = [...new Set([...text].filter((char) => !allowed.test(char)))];
  return refused.length > 0 ? refused.map((char) => JSON.stringify(char)).join(', ') : undefined;
}

/**
 * One tag per attribute, in the order each first appears; the values of a repeated attribute (several OU)
 * joined with "/" in the certificate's order, as the service combines them (User Guide, Trust policy).
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
