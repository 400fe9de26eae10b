import { HelperError } from '../../errors.js';
import type { KeySource } from '../keySource.js';
import type { KeySourceOptions } from '../resolveKeySource.js';

/** TPM 2.0 keys: see issue 5. */
export async function openTpmKeySource(_options: KeySourceOptions): Promise<KeySource> {
  throw new HelperError('TPM keys are not supported yet');
}
