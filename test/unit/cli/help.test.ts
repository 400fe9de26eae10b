import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands.js';
import { cacheCommand } from '../../../src/cli/commands/cache/command.js';
import { emulatorCommand } from '../../../src/cli/commands/emulator/command.js';
import { serveCommand } from '../../../src/cli/commands/serve/command.js';
import { signStringCommand } from '../../../src/cli/commands/signString/command.js';
import { commandHelp, rootHelp } from '../../../src/cli/help.js';

describe('help', () => {
  it('lists --version among the root flags, as cobra does for a program with a version', () => {
    const flags = rootHelp('aws_signing_helper', COMMANDS).split('Flags:\n')[1]!.split('\n\n')[0];
    expect(flags).toBe('  -h, --help      help for aws_signing_helper\n      --version   version for aws_signing_helper');
  });

  it('sorts -h, --help among the flags by its name, as pflag lists every flag (QA: it came last)', () => {
    const flags = commandHelp('aws_signing_helper', signStringCommand).split('Flags:\n')[1]!.split('\n\n')[0]!.split('\n').filter(Boolean);
    const names = flags.map((line) => /^ +(?:-h, )?--([\w-]+)/.exec(line)?.[1] ?? line);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('help');
    expect(names.at(-1)).not.toBe('help');
  });

  it("names the values sign-string's --format and --digest take, in the reference's words", () => {
    const lines = commandHelp('aws_signing_helper', signStringCommand).split('\n');
    expect(lines.find((line) => line.includes('--format'))).toMatch(/--format string +Output format\. One of json, text, and bin \(default "json"\)$/);
    expect(lines.find((line) => line.includes('--digest'))).toMatch(/--digest string +One of SHA256, SHA384, and SHA512 \(default "SHA256"\)$/);
  });

  it("leaves out a default that is the type's zero value, as pflag does: the emulator's --port 0 (it printed \"(default 0)\")", () => {
    const lines = commandHelp('aws_signing_helper', emulatorCommand).split('\n');
    expect(lines.find((line) => line.includes('--port'))).toMatch(/--port int +Port to listen on; 0 picks a free one$/);
    expect(lines.find((line) => line.includes('--credential-lifetime'))).toMatch(/ to test refreshes$/);
    expect(commandHelp('aws_signing_helper', serveCommand).split('\n').find((line) => line.includes('--port'))).toMatch(/ \(default 9911\)$/);
    // A string's zero value too, should a flag ever have it.
    const withEmpty = { ...emulatorCommand, flags: { ...emulatorCommand.flags, note: { type: 'string' as const, help: 'A note', default: '' } } };
    expect(commandHelp('aws_signing_helper', withEmpty).split('\n').find((line) => line.includes('--note'))).toMatch(/--note string +A note$/);
  });

  // Mutation QA: serve's --hop-limit default of 1, or --bind's of localhost, passed: only --port's was looked at.
  it("shows serve's defaults: the reference's --hop-limit 64, and --bind on 127.0.0.1 alone", () => {
    const lines = commandHelp('aws_signing_helper', serveCommand).split('\n');
    expect(lines.find((line) => line.includes('--hop-limit'))).toMatch(/ \(default 64\)$/);
    expect(lines.find((line) => line.includes('--bind'))).toMatch(/ \(default "127\.0\.0\.1"\)$/);
  });

  // Mutation QA: COMMANDS is written sorted, so dropping the sort passed; so did dropping a command's details or usage.
  it('lists the commands sorted by name, whatever their order, and prints a command\'s own usage and details', () => {
    const commands = rootHelp('aws_signing_helper', [serveCommand, cacheCommand]).split('Available Commands:\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(commands.map((line) => line.trim().split(' ')[0])).toEqual(['cache', 'serve']);
    const serve = commandHelp('aws_signing_helper', serveCommand);
    expect(serve.endsWith(`\n\n${serveCommand.details}\n`)).toBe(true);
    expect(commandHelp('aws_signing_helper', cacheCommand)).toContain(`Usage:\n  aws_signing_helper cache ${cacheCommand.usage}\n`);
  });
});
