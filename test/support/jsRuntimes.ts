import { cachedNpmPackage } from './cachedNpmPackage.js';

/**
 * The JavaScript runtimes other than Node that the tests run the package on, each at the release they were
 * tried with (the newest on 2026-12-05): a new release from the registry must not turn CI red overnight.
 */
const RUNTIMES = { bun: '1.4.5', deno: '2.9.6' } as const;

/**
 * The path of Bun's or Deno's binary, from the npm registry's `bun` or `deno` package (each ships its
 * binary in a package of its platform), installed once into .cache/<name>-<version>/ of the project.
 */
export function jsRuntime(name: keyof typeof RUNTIMES): string {
  const version = RUNTIMES[name];
  return cachedNpmPackage(`${name}@${version}`, `${name}-${version}`, `node_modules/.bin/${name}`);
}
