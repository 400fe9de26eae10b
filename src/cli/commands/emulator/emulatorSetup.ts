import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { CONFIG_FILE, checkEmulatorOptions } from '../../../emulator/checkEmulatorOptions.js';
import { partitionOfRegion } from '../../../emulator/partitionOfRegion.js';
import type { EmulatorOptions } from '../../../emulator/emulator.js';
import { EmulatorSetupError } from '../../../emulator/emulatorOptions.js';
import { HelperError } from '../../../errors.js';
import { duplicateKeyIn, jsonMistake, notUtf8 } from '../../jsonMistake.js';
import { readCertificateBundle } from '../../../keys/file/certificateFile.js';
import { encodePem } from '../../../asn1/pem.js';
import { readFileFor } from '../../../files/readFileFor.js';
import { readInputFile } from '../../../files/readInputFile.js';
import { readCrlFile } from '../../../rolesAnywhereRules/crlFile.js';

/** What the emulator starts with, read from the command line or a config file. */
export type EmulatorSetup = Pick<EmulatorOptions, 'trustAnchors' | 'profiles' | 'assumableRoles' | 'accountId' | 'region'>;

/** A config file's set-up, and the file each option holding a file's content was read from, as the config names it. */
export interface ConfigSetup {
  readonly setup: EmulatorSetup;
  /** By the option's name (`trustAnchors[1].crls[0]`): `other.crl`. */
  readonly files: ReadonlyMap<string, string>;
}

/** The account of the command line's set-up: its role's, and its resources' (given, not left to the emulator's default). */
const ACCOUNT_ID = '123456789012';

/**
 * --trust-anchor-certificate [--crl]: one trust anchor, and one profile for one role that asks little of
 * callers, in the Region's partition (`arn:aws-cn:iam::…` in cn-north-1).
 */
export function setupFromFlags(certificatePath: string, crlPath: string | undefined, region = 'us-east-1'): EmulatorSetup {
  return {
    accountId: ACCOUNT_ID,
    trustAnchors: [
      {
        certificates: readFileFor(certificatePath, `invalid --trust-anchor-certificate ${certificatePath}`, readCertificates),
        crls: crlPath === undefined ? [] : [readFileFor(crlPath, `invalid --crl ${crlPath}`, readCrl)],
      },
    ],
    profiles: [{ roleArns: [`arn:${partitionOfRegion(region)}:iam::${ACCOUNT_ID}:role/roles-anywhere-emulator`], acceptRoleSessionName: true }],
  };
}

/**
 * --config FILE (the format is in the command's help): checked as startEmulator checks its options, in the
 * file's names (src/emulator/checkEmulatorOptions.ts), then the files it names are read. A problem is one
 * line naming the file and the key.
 */
export function setupFromConfig(path: string): ConfigSetup {
  const data = readInputFile(path, 'emulator config');
  const invalid = (reason: string) => new HelperError(`invalid emulator config ${path}: ${reason}`);
  const encoding = notUtf8(data);
  if (encoding) throw invalid(encoding);
  const text = data.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON.parse's message, which quotes the file (as the roles file's, src/cli/jsonMistake.ts).
    throw invalid(jsonMistake(text));
  }
  // JSON.parse keeps the last of a key given twice: the first would be dropped without a word.
  const duplicate = duplicateKeyIn(text);
  if (duplicate) throw invalid(duplicate);
  let setup: EmulatorSetup;
  try {
    setup = checkEmulatorOptions(json, CONFIG_FILE);
  } catch (error) {
    if (error instanceof EmulatorSetupError) throw invalid(error.message);
    throw error;
  }
  const file = (value: string) => resolve(dirname(path), value);
  const files = new Map<string, string>();
  // Each file named by its key and its path as written: `trustAnchors[1].crls[0] (other.crl)`.
  const read = <T>(key: string, value: string, reader: (path: string) => T) => {
    files.set(key, value);
    // An empty path would be the config's own folder (QA: "is a directory").
    if (value === '') throw invalid(`${key} is empty: it must name a file`);
    // A relative path that names nothing was looked for in the config's folder: said when that is not the
    // current one, where a file of that name may be (QA: `ca.pem` seemed not found beside the command).
    const folder = dirname(path);
    const where = !isAbsolute(value) && resolve(folder) !== process.cwd() && !existsSync(file(value)) ? `, relative to the config's folder ${folder}` : '';
    return readFileFor(file(value), `invalid emulator config ${path}: ${key} (${value}${where})`, reader);
  };
  const trustAnchors = setup.trustAnchors?.map((anchor, i) => ({
    ...anchor,
    certificates: read(`trustAnchors[${i}].certificates`, anchor.certificates, readCertificates),
    crls: anchor.crls?.map((crl, j) => read(`trustAnchors[${i}].crls[${j}]`, crl, readCrl)),
  }));
  return { setup: { ...setup, trustAnchors }, files };
}

/** A trust anchor's certificates, as PEM whatever the file held (a PEM bundle or one DER certificate). */
function readCertificates(path: string): string {
  return readCertificateBundle(path)
    .map((certificate) => encodePem('CERTIFICATE', certificate.der))
    .join('');
}

/** A CRL file, PEM (`X509 CRL`) or DER, as PEM: the first CRL in it. */
function readCrl(path: string): string {
  return encodePem('X509 CRL', readCrlFile(path)[0]!.der);
}
