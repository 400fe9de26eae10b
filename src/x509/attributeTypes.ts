/**
 * The names of attribute types in distinguished names as `check`, the emulator and their messages write
 * them (`CN=leaf, O=Example`), as @peculiar/x509, which they used before, names them; other types are
 * written as their dotted OID.
 */
export const ATTRIBUTE_TYPES = {
  CN: '2.5.4.3',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  C: '2.5.4.6',
  DC: '0.9.2342.19200300.100.1.25',
  E: '1.2.840.113549.1.9.1',
  G: '2.5.4.42',
  I: '2.5.4.43',
  SN: '2.5.4.4',
  T: '2.5.4.12',
} as const satisfies Readonly<Record<string, string>>;

/** The name of an attribute type by its OID, `more` (name to OID) first; undefined when neither names it. */
export function attributeTypeName(oid: string, more: Readonly<Record<string, string>> = {}): string | undefined {
  const named = (table: Readonly<Record<string, string>>) => Object.keys(table).find((name) => table[name] === oid);
  return named(more) ?? named(ATTRIBUTE_TYPES);
}
