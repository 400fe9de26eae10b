import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from './cli.js';

/** Copies the project's tracked files (git ls-files) to `path`, a clean clone's tree without node_modules; returns their names. */
export function copyTrackedFiles(path: string): string[] {
  const files = execFileSync('git', ['ls-files'], { cwd: projectRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(path, file)), { recursive: true });
    cpSync(join(projectRoot, file), join(path, file));
  }
  return files;
}
