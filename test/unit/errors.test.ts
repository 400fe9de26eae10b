import { describe, expect, it } from 'vitest';
import { HelperError, UsageError } from '../../src/errors.js';

describe('HelperError', () => {
  it('recognises errors from another copy of the module (another bundle) by their brand', () => {
    const foreign = Object.assign(new Error('from another bundle'), { [Symbol.for('roles-anywhere-helper.HelperError')]: true });
    expect(foreign instanceof HelperError).toBe(true);
    expect(new Error('plain') instanceof HelperError).toBe(false);
    expect((null as unknown as object) instanceof HelperError).toBe(false);
  });

  it('keeps subclass checks exact', () => {
    expect(new UsageError('x') instanceof HelperError).toBe(true);
    expect(new UsageError('x') instanceof UsageError).toBe(true);
    expect(new HelperError('x') instanceof UsageError).toBe(false);
    expect(new UsageError('x').name).toBe('UsageError');
  });
});
