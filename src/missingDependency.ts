import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { shellWord } from './shellWord.js';

/**
 * What to say when one of the package's dependencies (proper-lockfile for `--cache`, node-forge for PKCS#12,
 * ...) cannot be found by a bundle of its own that requires it, rather than an internal error: undefined for
 * any other failure. The package's files are there but its dependencies are not where Node looks: the bin
 * run by its path from a Yarn Plug'n'Play install (the path `yarn bin` prints, in a `credential_process`
 * line), whose packages only Yarn's runtime finds (QA), the library loaded through pnpm's link with Node's
 * --preserve-symlinks (QA), or the package's folder copied alone.
 * pkcs11js, optional, has its own messages (keys/pkcs11/withPkcs11js.ts).
 */
export function missingDependency(error: unknown): string | undefined {
  const { code, message, requireStack } = (error ?? {}) as NodeJS.ErrnoException & { requireStack?: string[] };
  const name = code === 'MODULE_NOT_FOUND' ? /^Cannot find module '([^'./][^']*)'/.exec(message)?.[1] : undefined;
  const from = requireStack?.[0];
  // pkcs11js is optional: left out, it is no damage to the install, and withPkcs11js says how to build it.
  if (!name || name.startsWith('node:') || name === 'pkcs11js' || !from) return undefined;
  const advice =
    yarnPnpAdvice(from) ??
    (preservesSymlinks()
      ? "Node's --preserve-symlinks looks for them beside the link to the package (pnpm's layout), not beside the package itself: run without it, or install with pnpm's node-linker=hoisted"
      : 'install roles-anywhere-helper with its dependencies (its folder copied alone has none)');
  return `roles-anywhere-helper cannot find its dependency ${name} from ${dirname(from)}: ${advice}`;
}

/**
 * How to run the helper where Yarn Plug'n'Play installed it but its runtime is not loaded (the bin run by
 * its path, not by `yarn`): the nearest folder above the file that holds a `.pnp.cjs` is the project's.
 * Undefined where there is none, or where the runtime is loaded (it sets process.versions.pnp).
 */
export function yarnPnpAdvice(file: string): string | undefined {
  if (process.versions.pnp !== undefined) return undefined;
  for (let folder = dirname(file); dirname(folder) !== folder; folder = dirname(folder)) {
    if (existsSync(join(folder, '.pnp.cjs'))) {
      return (
        `Yarn Plug'n'Play installed it, whose packages only its runtime finds: run it with \`yarn --cwd ${shellWord(folder)} aws_signing_helper\`, ` +
        `or with \`node --require ${shellWord(join(folder, '.pnp.cjs'))}\` before the bin's path`
      );
    }
  }
  return undefined;
}

/** Whether Node resolves a package's requires from the link it was loaded through (--preserve-symlinks, on its command line or in NODE_OPTIONS). */
function preservesSymlinks(): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes('--preserve-symlinks');
}
