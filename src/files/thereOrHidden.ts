import { existsSync } from 'node:fs';

/**
 * Whether a path exists, or Node's permission model (--permission, where no --allow-fs-read names it) keeps
 * it from saying: existsSync throws then (QA: `credential-process --cache` and `cache clear` were internal
 * errors), and the folder is taken as there, where using it fails with a line naming the permission.
 */
export function thereOrHidden(path: string): boolean {
  try {
    return existsSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_ACCESS_DENIED') return true;
    throw error;
  }
}
