import type { SessionTag } from '../rolesAnywhereRules/sessionTagRules.js';
import type { AttributeMapping } from './records.js';
import type { StringRules } from './stringRules.js';

export type CertificateField = AttributeMapping['certificateField'];
/** The certificate fields a profile's mapping rules name (CertificateField). */
export const CERTIFICATE_FIELDS: readonly CertificateField[] = ['x509Subject', 'x509Issuer', 'x509SAN'];
/** A mapping rule's specifier as the API's model constrains it (MappingRuleSpecifierString: 0 to 60 characters). */
export const SPECIFIER: StringRules = { maxLength: 60 };

/**
 * The mapping every profile has from its creation (User Guide, "Certificate attribute mapping": default mapping
 * rules in JSON): every subject and issuer attribute, and the first DNS name, URI and directory name of the SAN.
 */
export const DEFAULT_ATTRIBUTE_MAPPINGS: readonly AttributeMapping[] = [
  { certificateField: 'x509Issuer', mappingRules: [{ specifier: '*' }] },
  { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }, { specifier: 'URI' }, { specifier: 'Name/*' }] },
  { certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] },
];

/**
 * The session tags a profile's mapping keeps of those the default mapping makes of a certificate
 * (rolesAnywhereRules/sessionTags.ts), in their order: a tag `<field>/<attribute>` is kept when the field's rules
 * name the attribute as the tag's key does (`CN`, `OU`, `UID`, a dotted OID for an attribute without a name; `DNS`,
 * `URI`, `Name/CN` in the SAN), or all of them (`*` in the subject and issuer, `Name/*` for the SAN's directory
 * name). A field without rules maps nothing; a specifier that names nothing the certificate has maps nothing.
 */
export function mappedSessionTags(tags: readonly SessionTag[], mappings: readonly AttributeMapping[]): SessionTag[] {
  return tags.filter(({ key }) => {
    const slash = key.indexOf('/');
    const field = key.slice(0, slash);
    const attribute = key.slice(slash + 1);
    const specifiers = mappings.filter((mapping) => mapping.certificateField === field).flatMap((mapping) => mapping.mappingRules.map((rule) => rule.specifier));
    if (specifiers.includes(attribute)) return true;
    if (field === 'x509SAN') return attribute.startsWith('Name/') && specifiers.includes('Name/*');
    return specifiers.includes('*');
  });
}

/** The mapping after PutAttributeMapping: the field's rules are those given (each once), in place of the field's own; a field it had none of comes last. */
export function withMapping(mappings: readonly AttributeMapping[], certificateField: CertificateField, specifiers: readonly string[]): AttributeMapping[] {
  const mapping = { certificateField, mappingRules: [...new Set(specifiers)].map((specifier) => ({ specifier })) };
  const index = mappings.findIndex((candidate) => candidate.certificateField === certificateField);
  return index < 0 ? [...mappings, mapping] : mappings.map((candidate, at) => (at === index ? mapping : candidate));
}

/**
 * The mapping after DeleteAttributeMapping: without specifiers, the field is no longer mapped; with them, the
 * field's rules of those specifiers go (one it has no rule of is passed over), and the field with them when none is left.
 */
export function withoutMapping(mappings: readonly AttributeMapping[], certificateField: CertificateField, specifiers: readonly string[] | undefined): AttributeMapping[] {
  return mappings.flatMap((mapping) => {
    if (mapping.certificateField !== certificateField) return [mapping];
    const mappingRules = specifiers === undefined ? [] : mapping.mappingRules.filter((rule) => !specifiers.includes(rule.specifier));
    return mappingRules.length > 0 ? [{ certificateField, mappingRules }] : [];
  });
}
