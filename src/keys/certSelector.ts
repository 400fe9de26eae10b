import { HelperError } from '../errors.js';
import { describeFsError } from '../files/describeFsError.js';
import { readRegularFile } from '../files/readInputFile.js';

/** What --cert-selector picks a certificate by (in an OS certificate store). */
export interface CertSelector {
  readonly x509Subject?: string;
  readonly x509Issuer?: string;
  /** Hexadecimal. */
  readonly x509Serial?: string;
}

const KEYS = ['x509Subject', 'x509Issuer', 'x509Serial'] as const;

/**
 * Parses --cert-selector as the reference does: `file://<path>` to a JSON array of `{"Key","Value"}`
 * objects, or inline `Key=...,Value=...` pairs separated by whitespace (values may hold spaces, commas and
 * `=`, never `Key=`). Unlike the reference, an x509Serial that is not hexadecimal is refused.
 */
export function parseCertSelector(text: string): CertSelector {
  const entries = text.startsWith('file://') ? readSelectorFile(text.slice('file://'.length)) : parseInline(text);
  const selector: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (!(KEYS as readonly string[]).includes(key)) throw new HelperError(`cert selector contained invalid key "${key}"`);
    if (key in selector) throw new HelperError(`duplicate ${key} keys can't be present in cert selector`);
    selector[key] = value;
  }
  if (selector.x509Serial !== undefined && !/^[+-]?[0-9A-Fa-f]+$/.test(selector.x509Serial)) {
    throw new HelperError(`unable to parse cert selector string: x509Serial "${selector.x509Serial}" is not hexadecimal`);
  }
  return selector;
}

const PAIR = /^\s*Key=(.+?),Value=(.+?)\s*(?=Key=|$)/;

function parseInline(text: string): [string, string][] {
  const entries: [string, string][] = [];
  let rest = text;
  while (rest.trim() !== '') {
    const match = PAIR.exec(rest);
    if (!match) throw new HelperError(`unable to parse cert selector string at "${rest.trim().slice(0, 40)}"`);
    entries.push([match[1]!, match[2]!]);
    rest = rest.slice(match[0].length);
  }
  if (entries.length === 0) throw new HelperError('unable to parse cert selector string: it is empty');
  return entries;
}

function readSelectorFile(path: string): [string, string][] {
  let json: unknown;
  try {
    json = JSON.parse(readRegularFile(path).data.toString('utf8'));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw new HelperError(`unable to read cert selector file ${path}: ${describeFsError(error)}`);
    throw new HelperError(`unable to parse JSON map entries in ${path}: not JSON`);
  }
  if (!Array.isArray(json)) throw new HelperError(`unable to parse JSON map entries in ${path}: expected an array of {"Key","Value"} objects`);
  return json.map((entry) => {
    if (!entry || typeof entry !== 'object') throw new HelperError(`unable to parse JSON map entries in ${path}: expected objects`);
    const field = (name: string) => {
      const found = Object.entries(entry as Record<string, unknown>).find(([key]) => key.toLowerCase() === name)?.[1];
      if (found !== undefined && found !== null && typeof found !== 'string') {
        throw new HelperError(`unable to parse JSON map entries in ${path}: ${name} must be a string`);
      }
      return (found as string | null | undefined) ?? '';
    };
    return [field('key'), field('value')];
  });
}
