import { HelperError } from '../../errors.js';
import { describeFsError } from '../../files/describeFsError.js';
import { readRegularFile } from '../../files/readInputFile.js';

/** Larger than any signature or public area a TPM gives (a few hundred bytes). */
const MAX_OUTPUT_BYTES = 64 * 1024;

/**
 * The file a tool that exited 0 wrote (`what`: "signature"), read as input files are: a regular file, not
 * through a link, of at most 64 KiB. Anything else is a HelperError naming the tool (fuzzing QA: a link
 * to /dev/zero took all the machine's memory, a FIFO blocked for good, a missing file was an internal error).
 */
export function readToolOutput(path: string, tool: string, what: string): Buffer {
  try {
    return readRegularFile(path, MAX_OUTPUT_BYTES, true).data;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    const { message } = error as Error;
    const fsReason = code === 'ENOENT' ? 'there is none' : code === 'ELOOP' ? 'it is a symbolic link' : code ? describeFsError(error) : undefined;
    const reason = fsReason ?? (message.startsWith('is ') ? `it ${message}` : `it is ${message}`);
    throw new HelperError(`unable to use the TPM: ${tool} exited 0, but its ${what} cannot be read: ${reason}`);
  }
}
