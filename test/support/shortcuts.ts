import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The shortcuts cache hits left in a cache folder (src/credentials/cache/shortcut.ts). */
export function shortcutsIn(cacheDir: string): string[] {
  const credentials = join(cacheDir, 'credentials');
  return existsSync(credentials) ? readdirSync(credentials).filter((name) => name.endsWith('.shortcut')) : [];
}

/** Drops a cache folder's shortcuts, so that the next hit is checked in full (by src/cli/cacheHit.ts). */
export function removeShortcuts(cacheDir: string): void {
  for (const name of shortcutsIn(cacheDir)) rmSync(join(cacheDir, 'credentials', name));
}

/**
 * Lets files just written settle: a hit leaves no shortcut for a file changed in the last 50 ms
 * (src/files/fileStamp.ts isSettled), which a fast machine's miss and hit could take less than.
 */
export function settle(): Promise<void> {
  return sleep(100);
}
