import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import { sourceImports } from '../support/sourceImports.js';

/** Every source file, so that modules no entry point reaches are checked too. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** What each source file imports, from every source file as an entry point, computed once for both tests. */
let computed: ReturnType<typeof sourceImports> | undefined;
const importGraph = () => (computed ??= sourceImports(sources(join(projectRoot, 'src'))));

describe('the import graph of src/', () => {
  it('has no cycles (static or dynamic imports; type-only imports do not count)', async () => {
    const inputs = await importGraph();
    const graph = new Map<string, string[]>();
    for (const [file, { imports }] of Object.entries(inputs)) {
      if (file.startsWith('src/')) graph.set(file, imports.map((i) => i.path).filter((path) => path.startsWith('src/')));
    }
    expect(graph.size).toBeGreaterThan(100);
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative('src', f)).join(' > '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('goes down the layers of docs/architecture.md only: no folder imports one above it or beside it', async () => {
    // Top to bottom. The library's entry and the modules that aggregate what bundles share (common.ts for
    // the lazily loaded ones, runtime.ts for the CLI's) are files of src/ itself; its other files (errors,
    // context, option names, ...) are the base every layer may use.
    const layers = [
      ['index.ts', 'common.ts'],
      ['cli'],
      ['runtime.ts'],
      ['library'],
      ['check', 'outputs', 'emulator'],
      ['credentials'],
      ['sts'],
      ['session'],
      ['sigv4x509', 'rolesAnywhereRules'],
      ['x509'],
      ['keys', 'http'],
      ['files', 'terminal'],
      ['asn1', 'log'],
      ['(base)'],
    ];
    const rank = (unit: string) => layers.findIndex((layer) => layer.includes(unit));
    const unitOf = (file: string) => {
      const [first, second] = relative('src', file).split('/');
      return second === undefined && rank(first!) === -1 ? '(base)' : first!;
    };
    const wrong: string[] = [];
    const units = new Set<string>();
    for (const [file, { imports }] of Object.entries(await importGraph())) {
      if (!file.startsWith('src/')) continue;
      const from = unitOf(file);
      units.add(from);
      for (const { path } of imports.filter((i) => i.path.startsWith('src/'))) {
        const to = unitOf(path);
        if (to !== from && rank(to) <= rank(from)) wrong.push(`${relative('src', file)} imports ${relative('src', path)}`);
      }
    }
    expect([...units].filter((unit) => rank(unit) === -1)).toEqual([]); // a new folder gets its place here and in the doc
    expect(wrong).toEqual([]);
  });

  it('imports only packages package.json declares (a package that is only a dependency of one may go away), and so do the tests', async () => {
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
    const declared = new Set([manifest.name, ...Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.optionalDependencies })]);
    const tests = await sourceImports(sources(join(projectRoot, 'test')));
    const packages = new Set(
      [...Object.values(await importGraph()), ...Object.values(tests)]
        .flatMap(({ imports }) => imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path))
        .map((path) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/')),
    );
    expect(packages.size).toBeGreaterThan(3);
    expect([...packages].filter((name) => !declared.has(name))).toEqual([]);
  });
});
