import { HelperError } from '../../errors.js';

/**
 * Loads PKCS#11 code, which needs pkcs11js, an optional dependency with a native part: a machine without a
 * C toolchain installs the helper without it. Its absence is then said when PKCS#11 is used, with the fix.
 */
export async function withPkcs11js<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code !== 'MODULE_NOT_FOUND' || !/pkcs11js|pkcs11\.node/.test(message)) throw error;
    // npm leaves out an optional dependency that fails to build; one installed with --ignore-scripts is there, unbuilt.
    const fix = /pkcs11\.node/.test(message)
      ? "is not built here: run `npm rebuild pkcs11js` in the helper's folder"
      : 'is not installed here (npm leaves it out where it cannot build it): install roles-anywhere-helper again';
    throw new HelperError(
      `PKCS#11 needs the optional pkcs11js module, which ${fix} on a machine with python3, make and a C compiler`,
      { cause: error },
    );
  }
}
