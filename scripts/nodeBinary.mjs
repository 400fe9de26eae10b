// Other Node.js majors for the tests and benchmarks, from the npm registry's `node` package (which ships the
// binary), installed once into .cache/node<major>/ of the project.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);

/** The path of a Node.js binary of that major version, installing it on first use. */
export function nodeBinary(major) {
  const dir = join(root, `.cache/node${major}`);
  const binary = join(dir, 'node_modules/node/bin/node');
  if (!existsSync(binary)) {
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', `node@${major}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return binary;
}
