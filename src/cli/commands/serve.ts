import { HelperError } from '../../errors.js';
import type { FlagValues } from '../commandLine.js';

export async function run(_flags: FlagValues): Promise<void> {
  throw new HelperError('serve is not implemented yet');
}
