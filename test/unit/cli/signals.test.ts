import { afterEach, describe, expect, it } from 'vitest';
import { untilSignal } from '../../../src/cli/signals.js';

// Mutation QA: with the handlers never removed (as for serve's keepCatching), every test passed: a second
// Ctrl-C would no longer end the emulator or `update` as it ends a program. process.emit sends no signal.
const listeners = () => ({ SIGUSR2: process.listeners('SIGUSR2'), SIGWINCH: process.listeners('SIGWINCH') });
const before = listeners();

afterEach(() => {
  for (const [signal, kept] of Object.entries(before)) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) if (!kept.includes(listener)) process.off(signal, listener);
  }
});

describe('untilSignal', () => {
  it('resolves with the first signal received, then leaves every one of them to end the process as it would (Ctrl-C twice)', async () => {
    const stopped = untilSignal(['SIGUSR2', 'SIGWINCH']);
    expect(process.listenerCount('SIGUSR2')).toBe(before.SIGUSR2.length + 1);
    expect(process.listenerCount('SIGWINCH')).toBe(before.SIGWINCH.length + 1);
    process.emit('SIGWINCH', 'SIGWINCH');
    await expect(stopped).resolves.toBe('SIGWINCH');
    expect(listeners()).toEqual(before);
  });

  it('keepCatching (serve, which then removes its token folder): catches them until the process ends', async () => {
    const stopped = untilSignal(['SIGUSR2'], { keepCatching: true });
    process.emit('SIGUSR2', 'SIGUSR2');
    await expect(stopped).resolves.toBe('SIGUSR2');
    expect(process.listenerCount('SIGUSR2')).toBe(before.SIGUSR2.length + 1);
  });
});
