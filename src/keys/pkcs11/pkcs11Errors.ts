import pkcs11js from 'pkcs11js';

/** The CKR_* code of a failed PKCS#11 call, or undefined for any other error. */
export function returnCode(error: unknown): number | undefined {
  return error instanceof pkcs11js.Pkcs11Error ? error.code : undefined;
}

/** A failed call as the reference prints it: `pkcs11: 0xA0: CKR_PIN_INCORRECT`. */
export function describePkcs11Error(error: unknown): string {
  if (error instanceof pkcs11js.Pkcs11Error) return `pkcs11: 0x${error.code.toString(16).toUpperCase()}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Failures that mean the session, the login or the object handles are gone (the token was removed and put
 * back, the session was closed, the module logged out): opening a new session and finding the objects again
 * may succeed.
 */
const SESSION_LOST = new Set<number>([
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
  pkcs11js.CKR_SLOT_ID_INVALID,
  pkcs11js.CKR_USER_NOT_LOGGED_IN,
  pkcs11js.CKR_OBJECT_HANDLE_INVALID,
  pkcs11js.CKR_KEY_HANDLE_INVALID,
]);

/** Whether the failure (or the PKCS#11 failure it wraps) means the session is gone. */
export function isSessionLost(error: unknown): boolean {
  return SESSION_LOST.has(wrappedCode(error) ?? 0);
}

/**
 * Failures of the module's link to its device rather than of the session: p11-kit-client.so's server gone
 * (CKR_DEVICE_ERROR), tpm2-pkcs11's TPM connection broken (CKR_GENERAL_ERROR). Finding the token and key
 * again may need the module initialised anew.
 */
const DEVICE_LOST = new Set<number>([pkcs11js.CKR_DEVICE_ERROR, pkcs11js.CKR_GENERAL_ERROR]);

/** Whether the failure (or the PKCS#11 failure it wraps) may be the module's link to its device. */
export function isDeviceLost(error: unknown): boolean {
  return DEVICE_LOST.has(wrappedCode(error) ?? 0);
}

/** The CKR_* code of the failure, or of the PKCS#11 failure it wraps. */
function wrappedCode(error: unknown): number | undefined {
  return returnCode(error) ?? (error instanceof Error ? returnCode(error.cause) : undefined);
}
