import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';

const doc = readFileSync(join(projectRoot, 'docs/architecture.md'), 'utf8');

/** Every file and folder under `dir`, as paths from the project's root. */
function tree(dir: string): { files: string[]; folders: string[] } {
  const files: string[] = [];
  const folders: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        folders.push(relative(projectRoot, path));
        walk(path);
      } else files.push(relative(projectRoot, path));
    }
  };
  walk(join(projectRoot, dir));
  return { files, folders };
}

describe('docs/architecture.md, the map a newcomer reads', () => {
  it("names every folder of src/ (a command's own folder aside: one folder each) and every file of src/ itself", () => {
    const { files, folders } = tree('src');
    // A folder of src/ itself by its path (a new src/cache/ or src/pki/ passed on credentials/cache/ and
    // emulator/pki/), one deeper by its name in its parent's paragraph.
    const named = (folder: string) => doc.includes(folder.split('/').length === 2 ? `${folder}/` : `${folder.split('/').at(-1)}/`);
    const unnamed = [
      ...folders.filter((folder) => !/^src\/cli\/commands\/[^/]+$/.test(folder) && !named(folder)),
      ...files.filter((file) => file.split('/').length === 2 && !doc.includes(`\`${file.slice('src/'.length)}\``) && !doc.includes(`\`${file}\``)),
    ];
    expect(unnamed).toEqual([]);
  });

  it('names only source files that exist (a file moved or renamed takes its mentions along)', () => {
    const known = ['src', 'scripts', 'bench', 'native', 'test', 'dist'].flatMap((dir) => tree(dir).files);
    const named = [...doc.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.split(/\s+/).at(-1)!).filter((word) => /\.(ts|cjs|mjs|c)$/.test(word));
    expect(named.length).toBeGreaterThan(100);
    // As the text names them: from the root (scripts/build.mjs, dist/common.cjs: the build has run), from src/
    // (keys/secretFile.ts), or by their own name in their folder's paragraph.
    const missing = named.filter((name) => !known.some((file) => file === name || file.endsWith(`/${name}`)));
    expect(missing).toEqual([]);
  });
});
