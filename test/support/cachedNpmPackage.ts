import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './cli.js';

/**
 * A file of an npm package (`name@version`) the tests run, installed once into .cache/<folder>/ of the
 * project, as scripts/nodeBinary.mjs installs Nodes: into a folder of its own, renamed into place when
 * complete, so that a run stopped half-way or two at once leave no half-installed one. Its path.
 */
export function cachedNpmPackage(spec: string, folder: string, file: string): string {
  const dir = join(projectRoot, '.cache', folder);
  const path = join(dir, file);
  if (existsSync(path)) return path;
  mkdirSync(join(projectRoot, '.cache'), { recursive: true });
  const staging = mkdtempSync(join(projectRoot, `.cache/.${folder}-`));
  try {
    execFileSync('npm', ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', spec], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(path)) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
  } catch (error) {
    if (!existsSync(path)) throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return path;
}
