import { dirname } from 'node:path';
import { swappableFolderOnWay } from '../../files/trustedFile.js';
import type { Logger } from '../../log/logger.js';

/**
 * Says when another user could replace the credentials file `target` (written for `path`) with one of their
 * own, whose credentials SDKs would then use: a folder on its way (from the nearest one there, for a folder
 * still to be made) is another user's, or everyone may write it without the sticky bit. Said, not refused:
 * the reference writes anywhere, and a team's shared folder is one of those. Root writing in a user's folder
 * gives the file to that user (`sudo -E` with their HOME): for root only the mode counts.
 */
export function warnIfSwappable(path: string, target: string, logger: Logger): void {
  const swappable = swappableFolderOnWay(dirname(target), process.getuid?.() !== 0);
  if (!swappable) return;
  logger.warn(
    `the credentials file ${path} is inside ${swappable}: another user could replace it with a file of their own, whose credentials SDKs would then use`,
  );
}
