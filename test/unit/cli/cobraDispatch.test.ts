import { beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';

const out = vi.hoisted(() => ({ stdout: [] as string[], stderr: [] as string[] }));
vi.mock('../../../src/stdio.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/stdio.js')>()),
  writeOut: (text: string) => out.stdout.push(text),
  writeErr: (text: string) => out.stderr.push(text),
}));

async function run(argv: string[]) {
  out.stdout.length = 0;
  out.stderr.length = 0;
  const code = await main(argv);
  return { code, stdout: out.stdout.join(''), stderr: out.stderr.join('') };
}

// Compared with cobra and pflag themselves (QA: a Go harness declaring the reference's commands and flags).
describe('command lines read as cobra reads them', () => {
  beforeEach(() => {
    out.stdout.length = 0;
  });

  it('an empty first argument names no command: the root help, exit 0, as cobra prints it', async () => {
    const root = await run([]);
    expect(await run([''])).toEqual(root);
    expect(root).toMatchObject({ code: 0, stderr: '' });
    // With a flag after it, the root's flags refuse it, as pflag does.
    const refused = await run(['', '--role-arn', 'x']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ unknown flag: --role-arn \(see aws_signing_helper --help\)\n$/);
    // A command after it is still the command, as cobra's Find passes over the empty word (mutation sweep).
    expect(await run(['', 'help', 'serve'])).toEqual(await run(['help', 'serve']));
  });

  it("help's topic is found as cobra's Find finds a command: passing over empty words, a lone dash and flags", async () => {
    const root = (await run(['help'])).stdout;
    const serve = (await run(['help', 'serve'])).stdout;
    expect(root).toMatch(/^The credential helper/);
    for (const argv of [['help', ''], ['help', '-'], ['help', '--', '--unknown'], ['help', '--', '--role-arn', 'serve'], ['help', '--', '-x', 'serve']]) {
      expect(await run(argv)).toEqual({ code: 0, stdout: root, stderr: '' });
    }
    expect(await run(['help', '-', 'serve'])).toEqual({ code: 0, stdout: serve, stderr: '' });
    expect(await run(['help', '', 'serve', 'x'])).toEqual({ code: 0, stdout: serve, stderr: '' });
    // A word that is no command is still an unknown topic, every word named, then the root's usage (cobra's
    // c.Root().Usage(): its help without the description).
    const usage = root.slice(root.indexOf('Usage:\n'));
    expect(usage).toMatch(/^Usage:\n {2}aws_signing_helper \[command\]\n/);
    expect(await run(['help', 'bogus', 'serve'])).toEqual({ code: 0, stdout: '', stderr: `Unknown help topic [\`bogus\` \`serve\`]\n${usage}` });
  });
});
