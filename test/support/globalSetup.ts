import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The end-to-end tests run the built CLI: build it first, so they never test a stale bundle. The tests'
 * temporary folders go into one folder of this run (TMPDIR, which the test workers inherit), removed at
 * the end, so that runs leave nothing behind in /tmp.
 */
export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const root = mkdtempSync(join(tmpdir(), 'rah-tests-'));
  // As /tmp is: tests run children as another user, which must reach the folders made for them.
  chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
