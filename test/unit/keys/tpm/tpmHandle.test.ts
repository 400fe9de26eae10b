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

  it('shows no key pasted after handle:, nor a pkcs11: URI\'s PIN there (QA: quoted whole)', () => {
    const body = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg09oIfoQHjgp29qwqpqX83sKmnuSMZD+wYP9lIy0rkp2hRANCAAQXyWwh';
    expect(() => parseTpmHandle(`handle:${body}`)).toThrow('invalid hex TPM handle value: handle:(PEM or base64 content, not shown) (expected handle:0x81000001)');
    expect(() => parseTpmHandle('handle:pkcs11:token=t?pin-value=S3cretPIN9')).toThrow(
      'invalid TPM handle format: handle:pkcs11:token=t?pin-value=*** (expected handle:0x81000001)',
    );
    expect(() => parseTpmHandle('handle:0x81000001?pin-value=S3cretPIN9')).toThrow('invalid hex TPM handle value: handle:0x81000001?pin-value=*** (expected handle:0x81000001)');
  });
});

describe('hexHandle', () => {
  it('writes handles as tpm2-tools take them', () => {
    expect(hexHandle(0x81000101)).toBe('0x81000101');
    expect(hexHandle(0x40000001)).toBe('0x40000001');
    expect(hexHandle(1)).toBe('0x00000001');
  });
});
