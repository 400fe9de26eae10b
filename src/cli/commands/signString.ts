import type { Digest } from '../../keys/keySource.js';
import { iamRaPublicKeyDigest } from '../../keys/publicKeyBytes.js';
import { resolveKeySource } from '../../keys/resolveKeySource.js';
import { debug } from '../../log/logger.js';
import { applyDebugFlag, keySourceOptions } from '../commandOptions.js';
import type { FlagValues } from '../commandLine.js';
import { writeOut } from '../../stdio.js';

const PREFIX = 'AWS Roles Anywhere Credential Helper Signing Test';
const TEST_VERSION = '1';

/**
 * Signs the reference's fixed test message, `PREFIX ‖ "1" ‖ SHA256("IAM RA" ‖ public key)`, and prints the
 * signature as a JSON string (default), hex text or raw bytes, without a trailing newline.
 */
export async function run(flags: FlagValues): Promise<void> {
  applyDebugFlag(flags);
  const keySource = await resolveKeySource(keySourceOptions(flags));
  try {
    const identity = await keySource.current();
    debug(
      'Signing fixed string of the form: "AWS Roles Anywhere Credential Helper Signing Test" || ' +
        'SIGN_STRING_TEST_VERSION || SHA256("IAM RA" || PUBLIC_KEY_BYTE_ARRAY)"',
    );
    const message = Buffer.concat([Buffer.from(PREFIX + TEST_VERSION), iamRaPublicKeyDigest(identity.publicKey)]);
    const signature = await identity.sign(message, flags.digest as Digest);
    const format = flags.format as 'json' | 'text' | 'bin';
    if (format === 'bin') writeOut(signature);
    else if (format === 'text') writeOut(signature.toString('hex'));
    else writeOut(JSON.stringify(signature.toString('hex')));
  } finally {
    await keySource.close();
  }
}
