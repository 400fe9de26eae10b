import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';

type Manifest = { name: string; version: string; engines?: { node?: string }; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
const manifestAt = (folder: string): Manifest => JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));

/** Where Node finds package `name` from `folder`: its own node_modules, then each one above it, up to the project's. */
function installedFolder(name: string, folder: string): string | undefined {
  for (let dir = folder; dir.startsWith(projectRoot); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

/**
 * Whether `version` is in an engines range: comparators (>=, >, <=, <, =, ^, ~, a bare or x version) joined by
 * spaces within `||` alternatives. Any other syntax throws, so that a range this does not read fails the test.
 */
function satisfies(version: string, range: string): boolean {
  const parse = (text: string) => text.split('.').map((part) => (/^[x*]$/i.test(part) ? undefined : Number(part)));
  const compare = (a: number[], b: number[]) => a.map((n, i) => n - b[i]!).find((d) => d !== 0) ?? 0;
  const v = parse(version) as number[];
  const comparator = (text: string): boolean => {
    const match = /^(>=|<=|>|<|=|\^|~)?\s*v?(\d+|[x*])(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?$/i.exec(text);
    if (!match) throw new Error(`engines range not understood: ${range}`);
    const [, op = '', ...parts] = match;
    const given = parts.filter((p) => p !== undefined).flatMap(parse);
    const defined = given.findIndex((n) => n === undefined);
    const known = (defined === -1 ? given : given.slice(0, defined)) as number[];
    const low = [...known, 0, 0, 0].slice(0, 3);
    // The first version past the range that `known` (or ^'s, ~'s leading parts) leaves open.
    const past = (fixed: number) => (fixed === 0 ? [Infinity, 0, 0] : [...known.slice(0, fixed - 1), known[fixed - 1]! + 1, 0, 0, 0].slice(0, 3));
    switch (op) {
      case '>=': return compare(v, low) >= 0;
      case '>': return known.length === 3 ? compare(v, low) > 0 : compare(v, past(known.length)) >= 0;
      case '<': return compare(v, low) < 0;
      case '<=': return known.length === 3 ? compare(v, low) <= 0 : compare(v, past(known.length)) < 0;
      case '^': return compare(v, low) >= 0 && compare(v, past(Math.max(1, known.findIndex((n) => n !== 0) + 1 || known.length))) < 0;
      case '~': return compare(v, low) >= 0 && compare(v, past(Math.min(known.length, 2))) < 0;
      default: return known.length === 3 ? compare(v, low) === 0 : compare(v, low) >= 0 && compare(v, past(known.length)) < 0;
    }
  };
  // Every comparator read, none skipped by an earlier false or true, so that any it does not read throws.
  const alternatives = range.split('||').map((alternative) =>
    alternative.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean).map(comparator),
  );
  return alternatives.some((results) => results.every(Boolean));
}

describe('the code the package ships takes the Nodes its engines take', () => {
  const manifest = manifestAt(projectRoot);
  // The oldest of each line package.json's engines take (^20.19.0 || >=22.12.0: 20.19.0 and 22.12.0).
  const oldest = [...manifest.engines!.node!.matchAll(/\d+\.\d+\.\d+/g)].map(([version]) => version);

  it('reads engines ranges as npm does', () => {
    expect(oldest).toEqual(['20.19.0', '22.12.0']);
    const cases: [string, string, boolean][] = [
      ['20.19.0', '>= 20.19.0', true], ['20.18.9', '>=20.19.0', false], ['22.12.0', '^20.19.0 || >=22.12.0', true],
      ['21.0.0', '^20.19.0 || >=22.12.0', false], ['20.19.0', '>=22', false], ['22.0.0', '>=22', true], ['20.19.0', '>=18.0.0', true],
      ['20.19.0', '^18.0.0 || ^20.0.0', true], ['22.12.0', '^18.0.0 || ^20.0.0', false], ['20.19.0', '>= 4', true], ['20.19.0', '20.x', true],
      ['22.12.0', '20.x', false], ['20.19.0', '>=14 <21', true], ['22.12.0', '>=14 <21', false], ['20.19.0', '~20.18.0', false],
      ['20.19.0', '*', true], ['20.19.0', '^22.12.0 || ^24.0.0 || >=26.0.0', false], ['24.1.0', '^22.12.0 || ^24.0.0 || >=26.0.0', true],
    ];
    expect(cases.filter(([version, range, expected]) => satisfies(version, range) !== expected)).toEqual([]);
    expect(() => satisfies('20.19.0', '20.0.0 - 22.0.0')).toThrow('not understood');
  });

  // The AWS SDK's releases from January 2027 on need Node 22, and @smithy's may follow: an update must not bring them in.
  it('each package whose code dist/ holds (THIRD-PARTY-NOTICES.txt), and each runtime dependency and theirs, as installed', () => {
    const notices = readFileSync(join(projectRoot, 'dist/THIRD-PARTY-NOTICES.txt'), 'utf8');
    const bundled = [...notices.matchAll(/^(\S+) (\d\S*) \(/gm)].map(([, name, version]) => ({ name: name!, version: version! }));
    expect(bundled.map(({ name }) => name)).toEqual(expect.arrayContaining(['@smithy/core', '@smithy/signature-v4']));
    const checked = new Map<string, Manifest>();
    for (const { name, version } of bundled) {
      const found = manifestAt(installedFolder(name, projectRoot)!);
      expect(found.version).toBe(version);
      checked.set(`${name}@${version}`, found);
    }
    // The runtime dependencies and theirs, where installed (an optional one may not be).
    const queue = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }).map((name) => ({ name, from: projectRoot }));
    for (const { name, from } of queue) {
      const folder = installedFolder(name, from);
      if (!folder) continue;
      const found = manifestAt(folder);
      if (checked.has(`${name}@${found.version}`)) continue;
      checked.set(`${name}@${found.version}`, found);
      for (const next of Object.keys({ ...found.dependencies, ...found.optionalDependencies })) queue.push({ name: next, from: folder });
    }
    expect([...checked.keys()]).toEqual(expect.arrayContaining([expect.stringMatching(/^node-forge@/), expect.stringMatching(/^proper-lockfile@/), expect.stringMatching(/^graceful-fs@/)]));
    const refusing = [...checked].flatMap(([id, { engines }]) =>
      oldest.filter((node) => engines?.node !== undefined && !satisfies(node, engines.node)).map((node) => `${id} (engines.node ${engines!.node}) refuses Node ${node}`),
    );
    expect(refusing).toEqual([]);
  });
});
