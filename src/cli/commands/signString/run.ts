import { iamRaPublicKeyDigest } from '../../../keys/publicKeyBytes.js';
import { resolveKeySource } from '../../../keys/resolveKeySource.js';
import { writeOut } from '../../../stdio.js';
import type { CommandRun } from '../../command.js';
import { keySourceOptions } from '../../commandOptions.js';
import type { SIGN_STRING_FLAGS } from './flags.js';

const PREFIX = 'AWS Roles Anywhere Credential Helper Signing Test';
const TEST_VERSION = '1';

/**
 * Signs the reference's fixed test message, `PREFIX ‖ "1" ‖ SHA256("IAM RA" ‖ public key)`, and prints the
 * signature as a JSON string (default), hex text or raw bytes, without a trailing newline.
 */
export const run: CommandRun<typeof SIGN_STRING_FLAGS> = async (flags, context) => {
  const keySource = await resolveKeySource({ ...keySourceOptions(flags, context), certificateOptional: true }, context);
  try {
    const identity = await keySource.current();
    context.logger.debug(
      'Signing fixed string of the form: "AWS Roles Anywhere Credential Helper Signing Test" || ' +
        'SIGN_STRING_TEST_VERSION || SHA256("IAM RA" || PUBLIC_KEY_BYTE_ARRAY)"',
    );
    const message = Buffer.concat([Buffer.from(PREFIX + TEST_VERSION), iamRaPublicKeyDigest(identity.publicKey)]);
    const signature = await identity.sign(message, flags.digest);
    if (flags.format === 'bin') writeOut(signature);
    else if (flags.format === 'text') writeOut(signature.toString('hex'));
    else writeOut(JSON.stringify(signature.toString('hex')));
  } finally {
    await keySource.close();
  }
};
