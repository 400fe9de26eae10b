import { expect } from 'vitest';
import { EmulatorSetupError, startEmulator, type EmulatorOptions } from '../../src/emulator/index.js';

/** What startEmulator threw for these options; an emulator it started instead is closed, and the test fails. */
export async function setupRefusal(options: unknown): Promise<EmulatorSetupError> {
  const outcome = await startEmulator(options as EmulatorOptions).then(
    async (emulator) => {
      await emulator.close();
      return 'started';
    },
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(EmulatorSetupError);
  return outcome as EmulatorSetupError;
}
