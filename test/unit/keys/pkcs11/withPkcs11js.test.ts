import { describe, expect, it } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import { withPkcs11js } from '../../../../src/keys/pkcs11/withPkcs11js.js';

describe('withPkcs11js', () => {
  it("says what an ES module bundle without a require needs, which only PKCS#11 meets (QA: Rollup's output said 'require is not defined')", async () => {
    const lacking = new ReferenceError('require is not defined');
    const error = await withPkcs11js(() => Promise.reject(lacking)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HelperError);
    // Kept as its cause, for an application's debugging (the CLI's --debug prints it).
    expect((error as HelperError).cause).toBe(lacking);
    expect((error as HelperError).message).toBe(
      'PKCS#11 loads pkcs11js with require, which this ES module bundle lacks: define one with createRequire (see docs/library.md on bundling)',
    );
  });

  it('passes on what it does not know', async () => {
    const other = new ReferenceError('x is not defined');
    await expect(withPkcs11js(() => Promise.reject(other))).rejects.toBe(other);
  });
});
