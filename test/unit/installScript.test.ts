import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe("the package's install script", () => {
  it('names node-gyp, which Yarn Berry then adds to the dependencies of the package from the registry, and so to the PATH of the build (review: else no node-gyp, no hop-limit addon)', () => {
    // Yarn's NpmSemverResolver tests every script of a package from the registry with this pattern.
    expect(Object.values(scripts).some((script) => /\b(node-gyp|prebuild-install)\b/.test(script))).toBe(true);
  });
});
