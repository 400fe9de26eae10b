import { describe, expect, it } from 'vitest';
import { HelperError, UsageError } from '../../src/errors.js';

/** An error as another bundle's copy of src/errors.ts makes it. */
const foreign = (kinds: string[]) => Object.assign(new Error('from another bundle'), { [Symbol.for('roles-anywhere-helper.errorKinds')]: kinds });

describe('HelperError', () => {
  it('recognises errors from another copy of the module (another bundle), subclasses included', () => {
    expect(foreign(['HelperError']) instanceof HelperError).toBe(true);
    expect(foreign(['UsageError', 'HelperError']) instanceof UsageError).toBe(true);
    expect(foreign(['UsageError', 'HelperError']) instanceof HelperError).toBe(true);
    expect(foreign(['HelperError']) instanceof UsageError).toBe(false);
    expect(new Error('plain') instanceof HelperError).toBe(false);
    expect((null as unknown as object) instanceof HelperError).toBe(false);
  });

  it('keeps subclass checks exact for its own errors', () => {
    class KeyProblem extends HelperError {}
    expect(new UsageError('x') instanceof HelperError).toBe(true);
    expect(new UsageError('x') instanceof UsageError).toBe(true);
    expect(new HelperError('x') instanceof UsageError).toBe(false);
    expect(new KeyProblem('x') instanceof HelperError).toBe(true);
    expect(new KeyProblem('x') instanceof UsageError).toBe(false);
    expect(new UsageError('x').name).toBe('UsageError');
  });
});
