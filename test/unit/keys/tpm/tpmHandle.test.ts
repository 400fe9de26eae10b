import { describe, expect, it } from 'vitest';
import { hexHandle } from '../../../../src/keys/tpm/tpmHandle.js';
import { parseTpmHandle } from '../../../../src/keys/tpm/tpmHandleSyntax.js';

describe('parseTpmHandle', () => {
  it.each([
    ['handle:0x81000101', 0x81000101],
    ['handle:81000101', 0x81000101],
    ['handle:0x00000001', 1],
    ['handle:FFFFFFFF', 0xffffffff],
  ])('%s', (value, handle) => {
    expect(parseTpmHandle(value)).toBe(handle);
  });

  it.each(['handle:0x81:00', 'handle', 'handle:a:b:c'])('%s has the wrong format', (value) => {
    expect(() => parseTpmHandle(value)).toThrow(`invalid TPM handle format: ${value} (expected handle:0x81000001)`);
  });

  it.each(['handle:', 'handle:0x', 'handle:0X81000101', 'handle:0x1ffffffff', 'handle:-1', 'handle:81 00'])('%s is not a 32-bit hex value', (value) => {
    expect(() => parseTpmHandle(value)).toThrow(`invalid hex TPM handle value: ${value} (expected handle:0x81000001)`);
  });
});

describe('hexHandle', () => {
  it('writes handles as tpm2-tools take them', () => {
    expect(hexHandle(0x81000101)).toBe('0x81000101');
    expect(hexHandle(0x40000001)).toBe('0x40000001');
    expect(hexHandle(1)).toBe('0x00000001');
  });
});
