import { existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { HelperError } from '../../errors.js';
import { notRegularFile } from '../../files/readInputFile.js';
import { debugLazily, type Logger } from '../../log/logger.js';
import { redactPin } from '../../log/redactUrl.js';
import { DEFAULT_MODULE, type ModuleLocation } from './moduleLocation.js';
import { describePkcs11Error, returnCode } from './pkcs11Errors.js';
import { softHsmProblem } from './softHsmProblem.js';

export type Pkcs11Api = pkcs11js.PKCS11;

/** A loaded and initialised PKCS#11 module; `release` finalises and unloads it when its last user is done. */
export interface Pkcs11Module {
  readonly path: string;
  readonly api: Pkcs11Api;
  /** Counts the times the module was initialised anew: sessions opened before are gone, their handles reused. */
  readonly generation: number;
  /** Finalises and initialises the module again (see reinitialize below); false when this process did not initialise it. */
  reinitialize(): boolean;
  release(): void;
}

interface LoadedModule {
  readonly api: Pkcs11Api;
  /** false when something else in this process had initialised the module already: leave it initialised. */
  readonly finalizeOnRelease: boolean;
  users: number;
  generation: number;
}

/**
 * One instance per module path in this process: a module is initialised once, and C_Finalize would end
 * every session of every user of it, so key sources and listings that use the same module share it.
 */
const loadedModules = new Map<string, LoadedModule>();

/** Loads (dlopen) and initialises a module, with OS locking as the reference asks for. */
export function loadModule({ path, hint }: ModuleLocation, logger: Logger): Pkcs11Module {
  let loaded = loadedModules.get(path);
  if (!loaded) {
    loaded = initialise(path, hint, logger);
    loadedModules.set(path, loaded);
  }
  loaded.users++;
  const module = loaded;
  let released = false;
  return {
    path,
    api: module.api,
    get generation() {
      return module.generation;
    },
    reinitialize: () => reinitialize(module, path),
    release: () => {
      if (released) return;
      released = true;
      if (--module.users > 0) return;
      loadedModules.delete(path);
      if (module.finalizeOnRelease) ignoreFailure(() => module.api.C_Finalize());
      ignoreFailure(() => module.api.close());
      logger.debug(`unloaded PKCS#11 module ${path}`);
    },
  };
}

/**
 * Some modules lose their device for good when its connection breaks: p11-kit-client.so once its server
 * restarts (CKR_DEVICE_ERROR), or when it started while the server was down ("no connection", no slots),
 * tpm2-pkcs11 once the TPM or its resource manager restarts (CKR_GENERAL_ERROR). Only C_Finalize and
 * C_Initialize bring them back (QA: serve failed until restarted). Every user's sessions end with it.
 */
function reinitialize(module: LoadedModule, path: string): boolean {
  if (!module.finalizeOnRelease) return false;
  ignoreFailure(() => module.api.C_Finalize());
  module.generation++;
  try {
    module.api.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    throw new HelperError(`unable to initialize PKCS#11 module ${redactPin(path)}: ${describePkcs11Error(error)}`, { cause: error });
  }
  return true;
}

function initialise(path: string, hint: string | undefined, logger: Logger): LoadedModule {
  const api = new pkcs11js.PKCS11();
  // A pkcs11: URI given here by mistake is shown without its PIN, in the reason too.
  const shown = redactPin(path);
  const notModule = notRegularModule(path);
  if (notModule) throw new HelperError(`Failed to load provider library ${shown}: ${notModule}`);
  try {
    api.load(path);
  } catch (error) {
    // dlerror names the library first: as given, as the link resolved, or as found on the search path.
    const message = error instanceof Error ? error.message : String(error);
    const found = /^(\/[^:]*): /.exec(message)?.[1];
    const named = [path, realPath(path), found?.endsWith(`/${path}`) ? found : undefined].find((name) => name && message.startsWith(`${name}: `));
    const reason = (named ? message.slice(named.length + 2) : message).split(path).join(shown);
    // Only when dlerror names the module itself: a module found whose own dependency is missing names that one.
    const why = hint ?? (named === path && /No such file or directory/.test(reason) ? searchedOnly(path, shown) : undefined);
    throw new HelperError(`Failed to load provider library ${shown}: ${reason}${why ? `; ${why}` : ''}`);
  }
  let finalizeOnRelease = true;
  try {
    api.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (returnCode(error) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      ignoreFailure(() => api.close());
      const problem = returnCode(error) === pkcs11js.CKR_GENERAL_ERROR ? softHsmProblem(realPath(path)) : undefined;
      throw new HelperError(`unable to initialize PKCS#11 module ${shown}: ${describePkcs11Error(error)}${problem ? ` (${problem})` : ''}`);
    }
    finalizeOnRelease = false;
  }
  debugLazily(logger, () => {
    const { manufacturerID, libraryDescription, libraryVersion } = api.C_GetInfo();
    const version = `${libraryVersion.major}.${libraryVersion.minor}`;
    return `loaded PKCS#11 module ${shown}: ${manufacturerID.trimEnd()}, ${libraryDescription.trimEnd()} ${version}`;
  });
  return { api, finalizeOnRelease, users: 0, generation: 0 };
}

/**
 * Where dlopen looked for a module it did not find, when the name has no `/` (`--pkcs11-lib libsofthsm2.so`):
 * on the library search path only, as for the reference, not in the current folder, where one may be (QA:
 * the bare "No such file or directory" then read as wrong). p11-kit's proxy, the default, is no name the user gave.
 * `shown` is the name as messages show it (redactPin).
 */
function searchedOnly(path: string, shown: string): string | undefined {
  // A pkcs11: URI given for the module is no name to look for anywhere.
  if (path.includes('/') || path === DEFAULT_MODULE || /^pkcs11:/i.test(path)) return undefined;
  const give = existsSync(path) ? `./${shown}` : "the module's path";
  return `a name without a / is looked for on the library search path only (LD_LIBRARY_PATH, then ldconfig's folders), not in the current folder: give ${give}`;
}

/** Clean-up calls whose failure changes nothing for the caller (the module or session is gone already). */
export function ignoreFailure(action: () => void): void {
  try {
    action();
  } catch {
    // already closed, finalised or removed
  }
}

/**
 * Why a module path names no file dlopen could load (`not a regular file (a FIFO)`), or undefined: dlopen
 * opens a FIFO and waits for a writer for ever (QA), and reads a device as if it were a library. A name
 * without a `/` is looked for on the library search path, by dlopen alone; one not there is its to report.
 */
function notRegularModule(path: string): string | undefined {
  if (!path.includes('/')) return undefined;
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    return undefined;
  }
  return notRegularFile(stat);
}

/** The path with its links resolved, or as it is when it cannot be. */
function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}
