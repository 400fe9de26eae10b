import { execFileSync } from 'node:child_process';

/** The end-to-end tests run the built CLI: build it first, so they never test a stale bundle. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
