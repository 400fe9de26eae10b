import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';

const written = vi.hoisted(() => [] as string[]);
vi.mock('../../../src/stdio.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/stdio.js')>()),
  writeErr: (line: string) => written.push(line),
}));
// A part loaded on demand that cannot be opened: the machine's limit on open files, not a bug.
vi.mock('../../../src/cli/commands/cache/run.js', () => ({
  run: async () => {
    throw Object.assign(new Error("EMFILE: too many open files, open '/usr/lib/node_modules/x/signals.js'"), { code: 'EMFILE' });
  },
}));

describe('the CLI reports a failure', () => {
  it('for want of file descriptors as the limit it is, not as an internal error (QA: ulimit -n 19 and update)', async () => {
    expect(await main(['cache', 'clear'])).toBe(1);
    expect(written.join('')).toMatch(
      /^\S+ \S+ too many open files \(the process or system limit, ulimit -n\): EMFILE: too many open files, open '\/usr\/lib\/node_modules\/x\/signals\.js'\n$/,
    );
  });
});
