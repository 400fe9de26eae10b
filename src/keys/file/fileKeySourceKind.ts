import { HelperError } from '../../errors.js';
import { NoTerminalError, promptSecret } from '../../terminal/prompt.js';
import { inputName, isContent } from '../input.js';
import type { KeySourceKind, KeySourceOptions } from '../keySource.js';
import { certificateFromFile } from './certificateFile.js';
import { FileKeySource } from './fileKeySource.js';
import { KeyParseError } from '../keyParseError.js';
import { decodePem, isPem } from '../../asn1/pem.js';
import { NO_PKCS8_PASSWORD, type PasswordAsked } from './privateKey.js';
import { option } from '../../optionNames.js';

/** A certificate file and a key file (PEM or DER), or one PEM file holding both. */
export const fileKeySourceKind: KeySourceKind = {
  chosen: 'attempting to use FileSystemSigner',
  what: 'a key file',
  passwords: ['pkcs8Password'],
  claims: () => true,
  open: async (options, context, keyFile) => {
    const { certificate, privateKey } = options;
    if (!certificate) {
      // A path follows its option; content goes unnamed (the library's is `privateKey (content)`, which would repeat it).
      const key = isContent(privateKey!) ? '' : ` ${inputName(privateKey!)}`;
      throw new HelperError(`undefined certificate value: ${option('privateKey')}${key} needs ${option('certificate')}`);
    }
    refuseKeylessFile(options, keyFile);
    return new FileKeySource(
      {
        certificate,
        privateKey: privateKey ?? certificate,
        intermediates: options.intermediates,
        pkcs8Password: options.pkcs8Password,
        pkcs8PasswordFile: options.pkcs8PasswordFile,
        promptPassword: options.interactive ? promptPkcs8Password : undefined,
      },
      context,
    );
  },
};

/**
 * A file given alone that holds no key: refused before a password given for another kind of file, and named as
 * no certificate either when it is none (QA pki: an empty or text file "holds no private key").
 */
export function refuseKeylessFile({ certificate, privateKey }: KeySourceOptions, keyFile: () => Buffer): void {
  if (privateKey || !certificate || hasPrivateKeyBlock(keyFile())) return;
  certificateFromFile(keyFile(), inputName(certificate));
  throw new HelperError(`unable to parse private key: ${inputName(certificate)} holds no private key; give the key with ${option('privateKey')}`);
}

function hasPrivateKeyBlock(data: Buffer): boolean {
  return isPem(data) && decodePem(data.toString('latin1')).some((block) => block.type.endsWith('PRIVATE KEY'));
}

const PKCS8_PROMPTS: Record<PasswordAsked, string> = {
  first: 'Please enter your PKCS#8 private key password:',
  again: 'Incorrect PKCS#8 private key password. Please try again:',
  renewed: 'The private key file has changed, and the password typed before does not open it. Please enter its PKCS#8 private key password:',
};

async function promptPkcs8Password(asked: PasswordAsked): Promise<string> {
  try {
    return await promptSecret(PKCS8_PROMPTS[asked]);
  } catch (error) {
    if (error instanceof NoTerminalError) {
      throw new KeyParseError(`${NO_PKCS8_PASSWORD}; unable to ask for it: ${error.message}`);
    }
    throw error;
  }
}
