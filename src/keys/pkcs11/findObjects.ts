import pkcs11js from 'pkcs11js';
import type { Pkcs11Api } from './module.js';
import { returnCode } from './pkcs11Errors.js';
import type { Pkcs11Uri } from './uri.js';

const BATCH = 100;

/** Every object of the session's token that matches the template (C_FindObjectsInit/C_FindObjects/Final). */
export function findObjects(api: Pkcs11Api, session: Buffer, template: pkcs11js.Template): Buffer[] {
  api.C_FindObjectsInit(session, template);
  const found: Buffer[] = [];
  try {
    for (;;) {
      const batch = api.C_FindObjects(session, BATCH);
      found.push(...batch);
      if (batch.length < BATCH) break;
    }
  } finally {
    api.C_FindObjectsFinal(session);
  }
  return found;
}

/** The search template for objects of a class, with the URI's `object` (CKA_LABEL) and `id` (CKA_ID). */
export function objectTemplate(uri: Pick<Pkcs11Uri, 'object' | 'id'>, objectClass: number): pkcs11js.Template {
  const template: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: objectClass }];
  if (uri.object !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: uri.object });
  if (uri.id !== undefined) template.push({ type: pkcs11js.CKA_ID, value: uri.id });
  return template;
}

/** One attribute's value, or undefined when the object has no such attribute or will not reveal it. */
export function readAttribute(api: Pkcs11Api, session: Buffer, object: Buffer, type: number): Buffer | undefined {
  try {
    return api.C_GetAttributeValue(session, object, [{ type }])[0]?.value;
  } catch (error) {
    const code = returnCode(error);
    if (code === pkcs11js.CKR_ATTRIBUTE_TYPE_INVALID || code === pkcs11js.CKR_ATTRIBUTE_SENSITIVE) return undefined;
    throw error;
  }
}

/** A CK_ULONG or CK_BBOOL attribute value (native byte order, which is little-endian on the platforms Node runs on). */
export function readNumber(value: Buffer | undefined): number | undefined {
  if (value === undefined || value.length === 0) return undefined;
  if (value.length >= 8) return Number(value.readBigUInt64LE(0));
  if (value.length >= 4) return value.readUInt32LE(0);
  return value[0];
}
