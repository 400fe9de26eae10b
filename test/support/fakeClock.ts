import { expect, vi } from 'vitest';

/** What the library's provider is to these tests: a call giving credentials, and close(). */
interface ClosableProvider {
  (): Promise<{ readonly expiration?: Date | undefined }>;
  close(): Promise<void>;
}

/**
 * A test's fake timers (Date only) set a minute past the expiry of the credentials the provider got at its
 * first call, as vi.setSystemTime does in a user's suite: its next call must give credentials valid by that
 * clock. Closes the provider.
 */
export async function expectValidPastHeldExpiry(provider: ClosableProvider): Promise<void> {
  const held = await provider();
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(held.expiration!.getTime() + 60_000);
    expect((await provider()).expiration!.getTime()).toBeGreaterThan(Date.now());
  } finally {
    vi.useRealTimers();
    await provider.close();
  }
}
