import { describe, expect, it } from 'vitest';
import { StopSignal } from '../../../src/http/stopSignal.js';

describe('StopSignal', () => {
  it('calls each listener still there once, with the first reason kept; a listener removed or added after is not called', () => {
    const signal = new StopSignal();
    const called: string[] = [];
    signal.onStop(() => called.push('kept'));
    const remove = signal.onStop(() => called.push('removed'));
    remove();
    expect(signal.reason).toBeUndefined();
    signal.stop('the session was closed');
    signal.stop('again');
    signal.onStop(() => called.push('late'));
    expect(called).toEqual(['kept']);
    expect(signal.reason).toBe('the session was closed');
  });
});
