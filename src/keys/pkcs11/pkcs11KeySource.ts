import { HelperError } from '../../errors.js';
import type { KeySource } from '../keySource.js';
import type { KeySourceOptions } from '../resolveKeySource.js';

/** PKCS#11 tokens: see issue 4. */
export async function openPkcs11KeySource(_options: KeySourceOptions): Promise<KeySource> {
  throw new HelperError('PKCS#11 keys are not supported yet');
}
