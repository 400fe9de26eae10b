import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `step` in a new folder of the temporary folder (named `<prefix>XXXXXX`), removed after it. */
export function inTemporaryFolder(prefix: string, step: (folder: string) => void): void {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  try {
    step(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
