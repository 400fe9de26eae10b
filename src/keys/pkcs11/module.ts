import { realpathSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { HelperError } from '../../errors.js';
import { debugLazily, type Logger } from '../../log/logger.js';
import { redactPin } from '../../log/redactUrl.js';
import type { ModuleLocation } from './moduleLocation.js';
import { describePkcs11Error, returnCode } from './pkcs11Errors.js';

export type Pkcs11Api = pkcs11js.PKCS11;

/** A loaded and initialised PKCS#11 module; `release` finalises and unloads it when its last user is done. */
export interface Pkcs11Module {
  readonly path: string;
  readonly api: Pkcs11Api;
  release(): void;
}

interface LoadedModule {
  readonly api: Pkcs11Api;
  /** false when something else in this process had initialised the module already: leave it initialised. */
  readonly finalizeOnRelease: boolean;
  users: number;
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

function initialise(path: string, hint: string | undefined, logger: Logger): LoadedModule {
  const api = new pkcs11js.PKCS11();
  // A pkcs11: URI given here by mistake is shown without its PIN, in the reason too.
  const shown = redactPin(path);
  try {
    api.load(path);
  } catch (error) {
    // dlerror names the library first: as given, as the link resolved, or as found on the search path.
    const message = error instanceof Error ? error.message : String(error);
    const found = /^(\/[^:]*): /.exec(message)?.[1];
    const named = [path, realPath(path), found?.endsWith(`/${path}`) ? found : undefined].find((name) => name && message.startsWith(`${name}: `));
    const reason = (named ? message.slice(named.length + 2) : message).split(path).join(shown);
    throw new HelperError(`Failed to load provider library ${shown}: ${reason}${hint ? `; ${hint}` : ''}`);
  }
  let finalizeOnRelease = true;
  try {
    api.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (returnCode(error) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      ignoreFailure(() => api.close());
      throw new HelperError(`unable to initialize PKCS#11 module ${shown}: ${describePkcs11Error(error)}`);
    }
    finalizeOnRelease = false;
  }
  debugLazily(logger, () => {
    const { manufacturerID, libraryDescription, libraryVersion } = api.C_GetInfo();
    const version = `${libraryVersion.major}.${libraryVersion.minor}`;
    return `loaded PKCS#11 module ${shown}: ${manufacturerID.trimEnd()}, ${libraryDescription.trimEnd()} ${version}`;
  });
  return { api, finalizeOnRelease, users: 0 };
}

/** Clean-up calls whose failure changes nothing for the caller (the module or session is gone already). */
export function ignoreFailure(action: () => void): void {
  try {
    action();
  } catch {
    // already closed, finalised or removed
  }
}

/** The path with its links resolved, or as it is when it cannot be. */
function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}
