import { statSync } from 'node:fs';

/**
 * Whether a path is not there: stat says so (ENOENT, or a file on the way, ENOTDIR). Not where it cannot say:
 * existsSync's false for a folder on the way this user may not enter (EACCES) was taken for a home folder that
 * does not exist ("make it…"), where using it says which folder it may not enter, with its mode and owner
 * (review); Node's --permission, which throws rather than say (QA: `credential-process --cache` and `cache
 * clear` were internal errors), likewise: the folder is used, and what refuses it is named.
 */
export function missingPath(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) === undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOTDIR';
  }
}
