import { describe, expect, it } from 'vitest';
import { commandOf } from '../../../src/cli/commandOf.js';

describe('commandOf: the command among the arguments, as cobra\'s Find (stripFlags) takes it', () => {
  it('passes over flags before it, a flag without = holding the next argument', () => {
    expect(commandOf(['--certificate', 'cert.pem', 'credential-process', '--role-arn', 'x'])).toEqual({
      given: 'credential-process',
      args: ['--certificate', 'cert.pem', '--role-arn', 'x'],
    });
    expect(commandOf(['--log-level=debug', 'serve'])).toEqual({ given: 'serve', args: ['--log-level=debug'] });
    // The root knows no flag: a bool one too is taken to hold the next argument.
    expect(commandOf(['--debug', 'credential-process']).given).toBeUndefined();
  });

  it("passes over '' and a lone -, and stops at --", () => {
    expect(commandOf(['', '-', 'version']).given).toBe('version');
    expect(commandOf(['--', 'version']).given).toBeUndefined();
  });
});
