import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands.js';
import { signStringCommand } from '../../../src/cli/commands/signString/command.js';
import { commandHelp, rootHelp } from '../../../src/cli/help.js';

describe('help', () => {
  it('lists --version among the root flags, as cobra does for a program with a version', () => {
    const flags = rootHelp('aws_signing_helper', COMMANDS).split('Flags:\n')[1]!.split('\n\n')[0];
    expect(flags).toBe('  -h, --help      help for aws_signing_helper\n      --version   version for aws_signing_helper');
  });

  it("names the values sign-string's --format and --digest take, in the reference's words", () => {
    const lines = commandHelp('aws_signing_helper', signStringCommand).split('\n');
    expect(lines.find((line) => line.includes('--format'))).toMatch(/--format string +Output format\. One of json, text, and bin \(default "json"\)$/);
    expect(lines.find((line) => line.includes('--digest'))).toMatch(/--digest string +One of SHA256, SHA384, and SHA512 \(default "SHA256"\)$/);
  });
});
