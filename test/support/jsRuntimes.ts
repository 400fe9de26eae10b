import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './cli.js';

/**
 * The JavaScript runtimes other than Node that the tests run the package on, each at the release they were
 * tried with (the newest on 2026-12-05): a new release from the registry must not turn CI red overnight.
 */
const RUNTIMES = { bun: '1.4.5', deno: '2.9.6' } as const;

/**
 * The path of Bun's or Deno's binary, from the npm registry's `bun` or `deno` package (each ships its
 * binary in a package of its platform), installed once into .cache/<name>-<version>/ of the project, as
 * scripts/nodeBinary.mjs installs Nodes: into a folder of its own, renamed into place when complete.
 */
export function jsRuntime(name: keyof typeof RUNTIMES): string {
  const version = RUNTIMES[name];
  const dir = join(projectRoot, `.cache/${name}-${version}`);
  const binary = join(dir, `node_modules/.bin/${name}`);
  if (existsSync(binary)) return binary;
  mkdirSync(join(projectRoot, '.cache'), { recursive: true });
  const staging = mkdtempSync(join(projectRoot, `.cache/.${name}-${version}-`));
  try {
    execFileSync('npm', ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', `${name}@${version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(binary)) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
  } catch (error) {
    if (!existsSync(binary)) throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}
