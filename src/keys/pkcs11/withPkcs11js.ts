import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HelperError } from '../../errors.js';
import { yarnPnpAdvice } from '../../missingDependency.js';
import { ADDONS_DISABLED, npmRebuildCommand } from '../../npmRebuild.js';

/** Why pkcs11js could not be loaded, said again where a bundler's registry gives it back empty. */
let pkcs11jsFailure: unknown;

/**
 * Loads PKCS#11 code, which needs pkcs11js, an optional dependency with a native part: a machine without a
 * C toolchain installs the helper without it. Its absence is then said when PKCS#11 is used, with the fix.
 */
export async function withPkcs11js<T>(load: () => Promise<T>): Promise<T> {
  try {
    // pkcs11js first, alone: a bundler's module registry (Rollup's) keeps a module whose first load threw, half
    // loaded, where Node drops it, and the PKCS#11 code that needs it gave a TypeError next (QA). webpack's keeps
    // pkcs11js so, empty: its first failure is said again.
    const pkcs11js = await import('pkcs11js').catch((error: unknown) => {
      throw (pkcs11jsFailure = error);
    });
    if (pkcs11jsFailure && typeof pkcs11js.default?.PKCS11 !== 'function') throw pkcs11jsFailure;
    return await load();
  } catch (error) {
    const { code, message, requireStack } = error as NodeJS.ErrnoException & { requireStack?: string[] };
    // An application's ES module bundle (Rollup's, Vite's) without the `require` banner the docs give: fine
    // until pkcs11js, which alone is loaded with require (QA).
    if (error instanceof ReferenceError && message === 'require is not defined') {
      throw new HelperError('PKCS#11 loads pkcs11js with require, which this ES module bundle lacks: define one with createRequire (see docs/library.md on bundling)', { cause: error });
    }
    // Deno loads a native addon only with --allow-ffi: "internal error: Requires ffi access to …" said it as a bug of ours (QA: runtimes).
    if ((error as Error | undefined)?.name === 'NotCapable' && /pkcs11\.node/.test(message)) {
      throw new HelperError(`PKCS#11 needs the optional pkcs11js module, whose native part Deno loads only with --allow-ffi (${message}): run it with --allow-ffi, or -A`, { cause: error });
    }
    if (code === 'ERR_DLOPEN_DISABLED') throw new HelperError(`PKCS#11 needs the native part of pkcs11js, and ${ADDONS_DISABLED}`, { cause: error });
    // Built for another platform (node_modules copied from a macOS or glibc build), or damaged.
    if (code === 'ERR_DLOPEN_FAILED' && /pkcs11\.node/.test(message)) {
      const addon = /\/\S*?\/pkcs11\.node/.exec(message)?.[0];
      throw new HelperError(
        `PKCS#11 needs the optional pkcs11js module, whose native part cannot be loaded here (${message}): run \`${(addon && npmRebuildCommand(addon, 'pkcs11js')) ?? 'npm rebuild pkcs11js'}\` ` +
          'on this machine, with python3, make and a C compiler',
        { cause: error },
      );
    }
    if (code !== 'MODULE_NOT_FOUND' || !/pkcs11js|pkcs11\.node/.test(message)) throw error;
    // Installed, but by Yarn Plug'n'Play, and run without its runtime (the bin by its path): nothing to build.
    const pnp = /'pkcs11js'/.test(message) && requireStack?.[0] ? yarnPnpAdvice(requireStack[0]) : undefined;
    if (pnp) throw new HelperError(`PKCS#11 needs the optional pkcs11js module, which cannot be found from ${dirname(requireStack![0]!)}: ${pnp}`, { cause: error });
    throw new HelperError(
      /pkcs11\.node/.test(message)
        ? // Installed with --ignore-scripts (or its build removed): there, unbuilt. requireStack[0] is pkcs11js's own file.
          `PKCS#11 needs the optional pkcs11js module, which is not built here: run \`${(requireStack?.[0] && npmRebuildCommand(requireStack[0], 'pkcs11js')) ?? 'npm rebuild pkcs11js'}\` ` +
            'on a machine with python3, make and a C compiler'
        : // npm leaves out an optional dependency that fails to build, and all of them with --omit=optional.
          'PKCS#11 needs the optional pkcs11js module, which is not installed here (npm leaves it out where it cannot build it, ' +
            'and with --omit=optional): install roles-anywhere-helper again, with its optional dependencies, on a machine with python3, make and a C compiler' +
            // A bundler's output (a Lambda function's, say) that left pkcs11js out, as the docs say to, needs it beside it.
            // The module that required pkcs11js is one of this package's own bundles when dist/cli.function.js is
            // beside it (scripts/build.mjs writes them all to dist/); anything else is an application's bundle.
            (requireStack?.[0] && !existsSync(join(dirname(requireStack[0]), 'cli.function.js'))
              ? '; an application bundle needs node_modules/pkcs11js, built for its platform, beside it'
              : ''),
      { cause: error },
    );
  }
}

