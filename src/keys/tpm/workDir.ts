import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private folder (mode 0700) for the files tpm2-tools read and write during one operation — key blobs,
 * saved contexts, the digest and the signature; never a password — removed afterwards, also on errors.
 */
export async function withWorkDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rah-tpm-'));
  try {
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
