import { dirname, resolve } from 'node:path';
import type { EmulatorOptions } from '../../../emulator/emulator.js';
import { HelperError } from '../../../errors.js';
import { readCertificateBundle } from '../../../keys/file/certificateFile.js';
import { decodePem, encodePem, isPem } from '../../../keys/file/pem.js';
import { readInputFile } from '../../../keys/file/readInputFile.js';

/** What the emulator starts with, read from the command line or a config file. */
export type EmulatorSetup = Pick<EmulatorOptions, 'trustAnchors' | 'profiles' | 'assumableRoles' | 'accountId' | 'region'>;

/** The account of the command line's set-up: its role's, and its resources' (given, not left to the emulator's default). */
const ACCOUNT_ID = '123456789012';

/** --trust-anchor-certificate [--crl]: one trust anchor, and one profile for one role that asks little of callers. */
export function setupFromFlags(certificatePath: string, crlPath: string | undefined): EmulatorSetup {
  return {
    accountId: ACCOUNT_ID,
    trustAnchors: [{ certificates: readCertificates(certificatePath), crls: crlPath === undefined ? [] : [readCrl(crlPath)] }],
    profiles: [{ roleArns: [`arn:aws:iam::${ACCOUNT_ID}:role/roles-anywhere-emulator`], acceptRoleSessionName: true }],
  };
}

/** --config FILE (the format is in the command's help); a problem is one line naming the file and the key. */
export function setupFromConfig(path: string): EmulatorSetup {
  const text = readInputFile(path, 'emulator config').toString('utf8');
  const invalid = (reason: string) => new HelperError(`invalid emulator config ${path}: ${reason}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(`not JSON (${(error as Error).message})`);
  }
  const file = (value: string) => resolve(dirname(path), value);
  const read = new ConfigReader(invalid);
  const root = read.object(json, 'the file', ['accountId', 'region', 'trustAnchors', 'profiles', 'assumableRoles']);
  return {
    accountId: read.optional(root, '', 'accountId', (value, where) => read.string(value, where, /^\d{12}$/, 'a 12-digit account ID')),
    region: read.optional(root, '', 'region', (value, where) => read.string(value, where, REGION, 'a Region such as eu-west-1')),
    trustAnchors: read.list(root.trustAnchors ?? [], 'trustAnchors', (value, where) => {
      const anchor = read.object(value, where, ['name', 'certificates', 'crls']);
      return {
        name: read.optional(anchor, where, 'name', (name, at) => read.string(name, at)),
        certificates: readCertificates(file(read.string(anchor.certificates, `${where}.certificates`))),
        crls: read.list(anchor.crls ?? [], `${where}.crls`, (crl, at) => readCrl(file(read.string(crl, at)))),
      };
    }),
    profiles: read.list(root.profiles ?? [], 'profiles', (value, where) => {
      const profile = read.object(value, where, ['name', 'roleArns', 'acceptRoleSessionName', 'durationSeconds']);
      return {
        name: read.optional(profile, where, 'name', (name, at) => read.string(name, at)),
        roleArns: read.list(profile.roleArns, `${where}.roleArns`, (arn, at) => read.string(arn, at, ROLE_ARN, 'an IAM role ARN')),
        acceptRoleSessionName: read.optional(profile, where, 'acceptRoleSessionName', (flag, at) => read.boolean(flag, at)),
        maxDurationSeconds: read.optional(profile, where, 'durationSeconds', (seconds, at) => read.integer(seconds, at, 900, 43200)),
      };
    }),
    assumableRoles: read.list(root.assumableRoles ?? [], 'assumableRoles', (value, where) => {
      const role = read.object(value, where, ['roleArn', 'externalId']);
      return {
        roleArn: read.string(role.roleArn, `${where}.roleArn`, ROLE_ARN, 'an IAM role ARN'),
        externalId: read.optional(role, where, 'externalId', (id, at) => read.string(id, at)),
      };
    }),
  };
}

/** A Region the emulator's ARNs may name (--region, the config's region): eu-west-1, us-gov-west-1. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/.+$/;

/** Reads values of a parsed JSON document, naming where a wrong one is (`profiles[0].roleArns[1]`). */
class ConfigReader {
  constructor(private readonly invalid: (reason: string) => Error) {}

  object(value: unknown, where: string, keys: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.invalid(`${where} must be an object`);
    const unknown = Object.keys(value).find((key) => !keys.includes(key));
    if (unknown !== undefined) throw this.invalid(`unknown key ${where === 'the file' ? unknown : `${where}.${unknown}`} (expected one of ${keys.join(', ')})`);
    return value as Record<string, unknown>;
  }

  list<T>(value: unknown, where: string, item: (value: unknown, where: string) => T): T[] {
    if (!Array.isArray(value)) throw this.invalid(`${where} must be a list`);
    return value.map((entry, index) => item(entry, `${where}[${index}]`));
  }

  /** `where` is the object's own place (empty for the file's top level). */
  optional<T>(object: Record<string, unknown>, where: string, key: string, read: (value: unknown, where: string) => T): T | undefined {
    return object[key] === undefined ? undefined : read(object[key], where ? `${where}.${key}` : key);
  }

  string(value: unknown, where: string, pattern?: RegExp, what = 'a string'): string {
    if (typeof value !== 'string' || (pattern && !pattern.test(value))) throw this.invalid(`${where} must be ${what}`);
    return value;
  }

  boolean(value: unknown, where: string): boolean {
    if (typeof value !== 'boolean') throw this.invalid(`${where} must be true or false`);
    return value;
  }

  integer(value: unknown, where: string, min: number, max: number): number {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) throw this.invalid(`${where} must be an integer from ${min} to ${max}`);
    return value as number;
  }
}

/** A trust anchor's certificates, as PEM whatever the file held (a PEM bundle or one DER certificate). */
function readCertificates(path: string): string {
  return readCertificateBundle(path)
    .map((certificate) => encodePem('CERTIFICATE', certificate.der))
    .join('');
}

/** A CRL file, PEM (`X509 CRL`) or DER, as PEM. */
function readCrl(path: string): string {
  const data = readInputFile(path, 'CRL');
  if (!isPem(data)) return encodePem('X509 CRL', data);
  const block = decodePem(data.toString('latin1')).find((b) => b.type === 'X509 CRL' || b.type === 'CRL');
  if (!block) throw new HelperError(`could not parse PEM data in ${path}: no X509 CRL block found`);
  return encodePem('X509 CRL', block.der);
}
