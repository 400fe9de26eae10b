import { RolesAnywhereServiceException } from '@aws-sdk/client-rolesanywhere';
import { expect } from 'vitest';

/** How @aws-sdk/client-rolesanywhere reports a call the emulator refused: the error's name, the HTTP status and the message. */
export async function rolesAnywhereRefusal(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  const error = await promise.then(() => expect.unreachable('the call succeeded'), (e: unknown) => e);
  expect(error).toBeInstanceOf(RolesAnywhereServiceException);
  const { name, message, $metadata } = error as RolesAnywhereServiceException;
  return { name, status: $metadata.httpStatusCode, message };
}
