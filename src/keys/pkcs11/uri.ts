import { isUtf8 } from 'node:buffer';
import { isAbsolute } from 'node:path';
import { HelperError } from '../../errors.js';
import { redactPin, redactUrl } from '../../log/redactUrl.js';
import { SECRET_VARIABLES } from '../secretVariables.js';
import { option, type OptionName } from '../../optionNames.js';

/** The object classes a URI's `type` attribute names (RFC 7512 §2.3). */
export type ObjectType = 'public' | 'private' | 'cert' | 'secret-key' | 'data';

export interface LibraryVersion {
  readonly major: number;
  readonly minor: number;
}

/**
 * An RFC 7512 `pkcs11:` URI: a search term for a module, slot, token and object rather than a unique name.
 * Path values are percent-decoded; text values are UTF-8, `object` and `id` the raw CKA_LABEL / CKA_ID bytes.
 */
export interface Pkcs11Uri {
  readonly libraryManufacturer?: string;
  readonly libraryDescription?: string;
  readonly libraryVersion?: LibraryVersion;
  readonly slotDescription?: string;
  readonly slotManufacturer?: string;
  readonly slotId?: bigint;
  readonly model?: string;
  readonly manufacturer?: string;
  readonly serial?: string;
  readonly token?: string;
  readonly id?: Buffer;
  readonly object?: Buffer;
  readonly type?: ObjectType;
  readonly pinValue?: string;
  readonly pinSource?: string;
  readonly moduleName?: string;
  readonly modulePath?: string;
  /** The URI as it was given, without its PIN (uriAsGiven): what messages call it (see uriName). */
  readonly given?: string;
}

type Field = keyof Pkcs11Uri;
type Kind = 'text' | 'label' | 'id' | 'slotId' | 'version' | 'type';

/** Path attributes in the order a formatted URI lists them: library, slot, token, then object. */
const PATH_ATTRIBUTES: readonly (readonly [name: string, field: Field, kind: Kind])[] = [
  ['library-manufacturer', 'libraryManufacturer', 'text'],
  ['library-description', 'libraryDescription', 'text'],
  ['library-version', 'libraryVersion', 'version'],
  ['slot-description', 'slotDescription', 'text'],
  ['slot-manufacturer', 'slotManufacturer', 'text'],
  ['slot-id', 'slotId', 'slotId'],
  ['model', 'model', 'text'],
  ['manufacturer', 'manufacturer', 'text'],
  ['serial', 'serial', 'text'],
  ['token', 'token', 'text'],
  ['id', 'id', 'id'],
  ['object', 'object', 'label'],
  ['type', 'type', 'type'],
];

const QUERY_ATTRIBUTES: readonly (readonly [name: string, field: Field])[] = [
  ['module-name', 'moduleName'],
  ['module-path', 'modulePath'],
  ['pin-source', 'pinSource'],
  ['pin-value', 'pinValue'],
];

const OBJECT_TYPES: readonly ObjectType[] = ['public', 'private', 'cert', 'secret-key', 'data'];

/** RFC 7512 pk11-res-avail: the reserved characters a value may hold unencoded, besides RFC 3986 unreserved. */
const PATH_LITERALS = /[A-Za-z0-9\-._~:[\]@!$'()*+,=&]/;
const QUERY_LITERALS = /[A-Za-z0-9\-._~:[\]@!$'()*+,=/?|]/;

/**
 * Parses a `pkcs11:` URI; a malformed one is a HelperError that names it and why. Nothing of a pin-value
 * is ever shown: the URI is shown without it and what follows it (redactUrl), and the reason quotes nothing
 * that follows it either, since a PIN may hold a raw `&` and then reads as more attributes.
 */
export function parsePkcs11Uri(text: string): Pkcs11Uri {
  const fail = (reason: string): never => {
    throw new HelperError(`Malformed pkcs11 URI ${redactUrl(text)}: ${reason}`);
  };
  // An attribute it does not know may be a mistyped pin-value (`pin-valu=1234`): the URI is shown up to its value.
  // The reference takes `Token=a`, or `module-path` in the path, for an attribute of its own, and ignores it: every token matched.
  const failUnknown = (where: 'path' | 'query', name: string): never => {
    const lower = name.toLowerCase();
    const names = (attributes: readonly (readonly [string, ...unknown[]])[]) => attributes.some(([attribute]) => attribute === lower);
    const [here, there] = where === 'path' ? [PATH_ATTRIBUTES, QUERY_ATTRIBUTES] : [QUERY_ATTRIBUTES, PATH_ATTRIBUTES];
    const hint = names(there)
      ? ` (a ${where === 'path' ? 'query attribute: it goes after "?"' : 'path attribute: it goes before "?"'})`
      : names(here) ? ` (attribute names are lower case: ${lower})` : '';
    return failUnquoted(`${name}=`, `unknown ${where} attribute "${name}"${hint}`);
  };
  /** The URI shown up to `start` (an attribute, or its name and `=`), then `***`. */
  const failUnquoted = (start: string, reason: string): never => {
    const shown = redactUrl(text);
    const at = [';', ':', '?', '&'].map((before) => shown.indexOf(`${before}${start}`)).find((index) => index >= 0);
    const cut = start.endsWith('=') ? start.length + 1 : 1;
    throw new HelperError(`Malformed pkcs11 URI ${at === undefined ? shown : `${shown.slice(0, at + cut)}***`}: ${reason}`);
  };
  // A URI's scheme is case-insensitive (RFC 3986, section 3.1).
  if (!/^pkcs11:/i.test(text)) fail('it does not start with "pkcs11:"');
  const body = text.slice('pkcs11:'.length);
  const queryStart = body.indexOf('?');
  const path = queryStart < 0 ? body : body.slice(0, queryStart);
  const query = queryStart < 0 ? '' : body.slice(queryStart + 1);
  const uri: Record<string, unknown> = {};
  // `&` may stand in a path value, so `type=private&pin-value=1234` would be a type value quoted with the PIN in it.
  const pinInPath = /&(pin(?:-|%2d)value=)/i.exec(path);
  if (pinInPath) failUnquoted(pinInPath[1]!, 'pin-value belongs in the query, after "?" (in the path, a "&" is part of the value before it)');
  // Nor in a value: `object=k pin-value=1234` or `module-path=/m.so?pin-value=1234`, a "?" or "&" mistyped or
  // percent-encoded, was a label or a module quoted with the PIN (QA).
  if (/[^&;]pin(?:-|%2d)value=/i.test(body.replace('?', '&').split(/&pin(?:-|%2d)value=/i)[0]!)) fail('pin-value must be a query attribute of its own');

  for (const attribute of attributes(path, ';')) {
    const [name, raw] = nameAndValue(attribute, 'path', fail);
    const spec = PATH_ATTRIBUTES.find(([known]) => known === name);
    if (!spec) failUnknown('path', name);
    const [, field, kind] = spec!;
    if (field in uri) fail(`duplicate path attribute "${name}"`);
    uri[field] = pathValue(name, kind, percentDecode(raw, fail), fail);
  }
  let afterPin = false;
  for (const attribute of queryStart < 0 ? [] : query.split('&')) {
    // What follows a pin-value may be the rest of the PIN: a failure there says so, and quotes nothing.
    const failAfterPin = afterPin
      ? () => fail('a query attribute after pin-value is malformed, unknown or repeated (write a "&" in a PIN as %26)')
      : fail;
    if (attribute === '' && !afterPin) fail('empty query attribute (a "?" or "&" with no name=value after it)');
    // A query attribute without `=` may be a mistyped PIN (`pin-value:1234`): it is not quoted, and the URI is shown up to it.
    const [name, raw] = nameAndValue(attribute, 'query', afterPin ? failAfterPin : () => failUnquoted(attribute, 'malformed query attribute (expected name=value)'));
    const spec = QUERY_ATTRIBUTES.find(([known]) => known === name);
    if (!spec && afterPin) failAfterPin(`unknown query attribute "${name}"`);
    if (!spec) failUnknown('query', name);
    const field = spec![1];
    if (field in uri) failAfterPin(`duplicate query attribute "${name}"`);
    const isPin = field === 'pinValue';
    const value = percentDecode(raw, isPin ? () => fail('pin-value is not percent-encoded correctly') : failAfterPin);
    // A PIN goes to the module as UTF-8: other bytes would make it another PIN, and cost a try.
    // (A byte that is not UTF-8 typed as it is reaches here as U+FFFD, as Node decodes arguments.)
    if (isPin && (!isUtf8(value) || raw.includes('\uFFFD'))) fail('pin-value is not UTF-8 text once percent-decoded (the PIN is passed to the module as UTF-8)');
    uri[field] = value.toString('utf8');
    afterPin ||= isPin;
  }

  if (uri.pinValue !== undefined && uri.pinSource !== undefined) fail('pin-value and pin-source are mutually exclusive');
  // An empty pin-value was sent as the empty PIN, a wrong one that costs one of the token's tries, before
  // AWS_ROLESANYWHERE_PKCS11_PIN was looked at; an empty pin-source was a file "not found" with no name.
  if (uri.pinValue === '') fail(`pin-value is empty (leave it out for pin-source, ${SECRET_VARIABLES.pkcs11Pin} or the terminal)`);
  if (uri.pinSource === '') fail('pin-source is empty (it takes the path of a file that holds the PIN)');
  if (uri.moduleName === '') fail('module-name is empty (it takes the name of a module registered with p11-kit, such as softhsm2)');
  if (/[/\\]/.test((uri.moduleName as string | undefined) ?? '')) fail('module-name is a name, not a path (give a path with module-path)');
  if (uri.modulePath !== undefined && !isAbsolute(uri.modulePath as string)) fail('module-path must be an absolute path');
  return { ...uri, given: uriAsGiven(text) } as Pkcs11Uri;
}

/** How messages name a URI: as it was given (without its PIN), else formatted. */
export function uriName(uri: Pkcs11Uri): string {
  return uri.given ?? formatPkcs11Uri(uri);
}

/**
 * Formats a URI with its attributes in a fixed order (library, slot, token, object; then the module and
 * pin-source). `pin-value` is never written, so the result is safe for messages and listings.
 */
export function formatPkcs11Uri(uri: Pkcs11Uri): string {
  const path: string[] = [];
  for (const [name, field, kind] of PATH_ATTRIBUTES) {
    const value = uri[field];
    if (value === undefined) continue;
    path.push(`${name}=${formatPathValue(kind, value)}`);
  }
  const query: string[] = [];
  for (const [name, field] of QUERY_ATTRIBUTES) {
    const value = uri[field];
    if (value === undefined || field === 'pinValue') continue;
    query.push(`${name}=${percentEncode(Buffer.from(value as string, 'utf8'), QUERY_LITERALS)}`);
  }
  return `pkcs11:${path.join(';')}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/**
 * A URI that parsed, as its user wrote it, without its pin-value: for messages, which name the URI as given
 * (formatPkcs11Uri reorders it). In a valid URI the query's attributes are split by `&`, which a PIN holds
 * only percent-encoded.
 */
export function uriAsGiven(text: string): string {
  const query = text.indexOf('?');
  if (query === -1) return text;
  const kept = text.slice(query + 1).split('&').filter((attribute) => !/^pin(?:-|%2d)value=/i.test(attribute));
  return redactPin(kept.length > 0 ? `${text.slice(0, query)}?${kept.join('&')}` : text.slice(0, query));
}

/** An `id` as URIs write it: every byte `%XX`. */
export function formatId(id: Buffer): string {
  return [...id].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function attributes(part: string, separator: string): string[] {
  return part === '' ? [] : part.split(separator);
}

function nameAndValue(attribute: string, what: 'path' | 'query', fail: (reason: string) => never): [string, string] {
  const equals = attribute.indexOf('=');
  if (equals <= 0) fail(`malformed ${what} attribute "${attribute}" (expected name=value)`);
  return [attribute.slice(0, equals), attribute.slice(equals + 1)];
}

function pathValue(name: string, kind: Kind, bytes: Buffer, fail: (reason: string) => never): unknown {
  const text = bytes.toString('utf8');
  switch (kind) {
    case 'id':
    case 'label':
      return bytes;
    case 'text':
      return text;
    case 'slotId':
      if (!/^\d+$/.test(text)) fail(`slot-id "${text}" is not a decimal slot number`);
      if (/^0./.test(text)) fail(`slot-id "${text}" has a leading 0, which aws_signing_helper reads as octal and RFC 7512 as decimal: write the slot number without it`);
      if (BigInt(text) >= 2n ** 64n) fail(`slot-id "${text}" is past the largest slot number, 2^64 - 1`);
      return BigInt(text);
    case 'version': {
      const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
      if (!match) fail(`library-version "${text}" is not of the form major[.minor]`);
      return { major: Number(match![1]), minor: Number(match![2] ?? 0) };
    }
    case 'type':
      if (!OBJECT_TYPES.includes(text as ObjectType)) fail(`${name} "${text}" is not one of ${OBJECT_TYPES.join(', ')}`);
      return text;
  }
}

function formatPathValue(kind: Kind, value: unknown): string {
  switch (kind) {
    case 'id':
      return formatId(value as Buffer);
    case 'label':
      return percentEncode(value as Buffer, PATH_LITERALS);
    case 'slotId':
      return String(value);
    case 'version': {
      const { major, minor } = value as LibraryVersion;
      return `${major}.${minor}`;
    }
    default:
      return percentEncode(Buffer.from(value as string, 'utf8'), PATH_LITERALS);
  }
}

function percentDecode(raw: string, fail: (reason: string) => never): Buffer {
  const bytes: Buffer[] = [];
  let literal = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '%') {
      literal += raw[i];
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) fail(`"%${hex}" is not a percent-encoded byte`);
    bytes.push(Buffer.from(literal, 'utf8'), Buffer.from([parseInt(hex, 16)]));
    literal = '';
    i += 2;
  }
  bytes.push(Buffer.from(literal, 'utf8'));
  return Buffer.concat(bytes);
}

function percentEncode(bytes: Buffer, literals: RegExp): string {
  let text = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    text += byte < 0x80 && literals.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return text;
}

/** Refuses a URI whose `type` is not the kind of object its option takes (leaving `type` out is fine). */
export function checkObjectType(uri: Pkcs11Uri | undefined, expected: 'cert' | 'private', name: OptionName): void {
  if (uri?.type !== undefined && uri.type !== expected) {
    throw new HelperError(
      `${option(name)} ${uriName(uri)} names objects of type=${uri.type}; it must name type=${expected} (or leave type out)`,
    );
  }
}

/** Whether a certificate or key is given as a pkcs11: URI rather than a file. */
export function isPkcs11Uri(value: unknown): value is string {
  return typeof value === 'string' && /^pkcs11:/i.test(value);
}
