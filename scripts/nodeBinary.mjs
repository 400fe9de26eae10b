// Other Node.js majors for the tests and benchmarks, from the npm registry's `node` package (which ships the
// binary), installed once into .cache/node<major>/ of the project (scripts/setup.sh installs 22, 24 and 26,
// and 20.19.0 and 22.12.0, the oldest package.json's engines take: a version works as a major does).
//
//   node scripts/nodeBinary.mjs 22 24   installs those majors (if missing) and prints their paths
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * The path of a Node.js binary of that major version, installing it on first use: into a folder of its own,
 * renamed into place when complete, so that test files asking for it at once neither share a half-done
 * install nor fail on each other's.
 */
export function nodeBinary(major) {
  const dir = join(root, `.cache/node${major}`);
  const binary = join(dir, 'node_modules/node/bin/node');
  if (existsSync(binary)) return binary;
  mkdirSync(join(root, '.cache'), { recursive: true });
  const staging = mkdtempSync(join(root, `.cache/.node${major}-`));
  try {
    execFileSync('npm', ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', `node@${major}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(binary)) {
      rmSync(dir, { recursive: true, force: true }); // an install interrupted before this way of installing
      renameSync(staging, dir);
    }
  } catch (error) {
    if (!existsSync(binary)) throw error; // else another process installed it first
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const major of process.argv.slice(2)) console.log(nodeBinary(major));
}
