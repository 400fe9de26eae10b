import * as fs from 'node:fs';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFolder, untrustedCacheFolder } from '../../../src/files/cacheFolder.js';
import { nodeVersionProblem } from '../../../src/library/nodeVersionProblem.js';
import { projectRoot } from '../../support/cli.js';
import { databaseHome } from '../../support/databaseHome.js';

/**
 * The launcher (src/bin/aws_signing_helper.cjs) loads nothing it need not, so it holds copies of what
 * src/files/ does to find and trust the cache folder. These tests hold each copy to its original: a change
 * to one alone would put the V8 code cache somewhere the credential cache is not, or trust a folder the
 * credential cache refuses.
 */
const launcher = readFileSync(join(projectRoot, 'src/bin/aws_signing_helper.cjs'), 'utf8');

/** A top-level function of the launcher, by name, as a function of the names it uses from Node. */
function launcherFunction<T>(name: string, scope: Record<string, unknown>): T {
  const start = launcher.indexOf(`\nfunction ${name}(`);
  const end = launcher.indexOf('\n}\n', start);
  expect(start, `function ${name} in the launcher`).toBeGreaterThan(0);
  const source = launcher.slice(start, end + 2);
  return new Function(...Object.keys(scope), `${source}\nreturn ${name};`)(...Object.values(scope)) as T;
}

describe("the launcher's copies of src/files/", () => {
  it('codeCacheDir finds the folder cacheFolder finds, or none when it finds none', () => {
    const userHome = launcherFunction<() => string | undefined>('userHome', {});
    const missingPath = launcherFunction<(path: string) => boolean>('missingPath', { fs });
    const codeCacheDir = launcherFunction<(env: NodeJS.ProcessEnv) => string | undefined>('codeCacheDir', { fs, isAbsolute, join, userHome, missingPath });
    // An absolute path that exists, and one that does not (HOME=/nonexistent: no cache below it).
    const existing = mkdtempSync(join(tmpdir(), 'rah-launcher-home-'));
    // A byte that is not UTF-8, as Node reads it (U+FFFD), names another folder too (QA).
    const values = [undefined, '', 'relative/path', existing, '/nonexistent/path', `${existing}\n`, `${existing}\uFFFD`];
    let compared = 0;
    for (const chosen of [...values, 'off']) {
      for (const xdg of values) {
        for (const home of values) {
          const env = { ROLES_ANYWHERE_HELPER_CACHE_DIR: chosen, XDG_CACHE_HOME: xdg, HOME: home };
          expect(codeCacheDir(env), JSON.stringify(env)).toBe(cacheFolder(env));
          compared++;
        }
      }
    }
    expect(compared).toBe(392);
    expect(codeCacheDir({ HOME: existing })).toBe(join(existing, '.cache/roles-anywhere-helper'));
    expect(codeCacheDir({ HOME: '/nonexistent/path' })).toBeUndefined();
    rmSync(existing, { recursive: true });
    const home = databaseHome();
    expect(codeCacheDir({})).toBe(home && join(home, '.cache', 'roles-anywhere-helper'));
  });

  it("safeFolder trusts a folder when untrustedCacheFolder finds nothing against it, and only then", () => {
    const safeFolder = launcherFunction<(dir: string) => boolean>('safeFolder', { fs, sep, dirname });
    const base = mkdtempSync(join(tmpdir(), 'rah-launcher-copies-'));
    /** A folder of that mode, and a 0700 cache folder in it. */
    const withCacheIn = (name: string, mode: number) => {
      const folder = join(base, name);
      mkdirSync(folder);
      chmodSync(folder, mode);
      mkdirSync(join(folder, 'cache'), { mode: 0o700 });
      return [folder, join(folder, 'cache')] as const;
    };
    const [own] = withCacheIn('own', 0o700);
    const [, inOpen] = withCacheIn('open', 0o777);
    const [, inSticky] = withCacheIn('sticky', 0o1777);
    const [groupWritable, inGroupWritable] = withCacheIn('group-writable', 0o770);
    // A link of one's own on the way is taken; the folder itself a link is not (whatever it names would be used).
    const ownLink = join(base, 'link');
    symlinkSync(own, ownLink);
    const throughLink = join(base, 'link-to-base');
    symlinkSync(base, throughLink);
    // Folders not made yet, judged where they would be made.
    const open = dirname(inOpen);
    const missing: [string, boolean][] = [[join(own, 'new'), true], [join(own, 'new/newer'), true], [join(open, 'new'), false], [join(open, 'new/newer'), false], [join(ownLink, 'new'), true]];
    const cases: [string, boolean][] = [
      [own, true], [inOpen, false], [inSticky, true], [groupWritable, false], [inGroupWritable, true], [ownLink, false], [join(throughLink, 'own'), true], ...missing,
    ];
    if (process.getuid?.() === 0) {
      const [theirs, inTheirs] = withCacheIn('theirs', 0o755);
      fs.chownSync(theirs, 65534, 65534);
      const theirLink = join(base, 'their-link');
      symlinkSync(own, theirLink);
      fs.lchownSync(theirLink, 65534, 65534);
      cases.push([theirs, false], [inTheirs, false], [theirLink, false], [join(theirs, 'new'), false], [join(theirLink, 'new'), false]);
    }
    try {
      for (const [folder, trusted] of cases) {
        expect(untrustedCacheFolder(folder) === undefined, `untrustedCacheFolder(${folder})`).toBe(trusted);
        expect(safeFolder(folder), `safeFolder(${folder})`).toBe(trusted);
      }
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('runtimeProblem refuses the Node, Bun and Deno versions nodeVersionProblem refuses, in its words, and only those (review: two copies of one rule)', () => {
    const olderDeno = launcherFunction<(version: string) => boolean>('olderDeno', {});
    const saved = Object.getOwnPropertyDescriptor(process, 'versions')!;
    let compared = 0;
    let refused = 0;
    try {
      for (const node of ['18.20.8', '20.18.3', '20.19.0', '21.7.3', '22.11.0', '22.12.0', '23.0.0', '24.2.0', '26.3.0']) {
        for (const other of [{}, { bun: '1.1.45' }, { bun: '1.3.0' }, { deno: '1.46.3' }, { deno: '2.6.8' }, { deno: '2.7.2' }, { deno: '2.7.3' }, { deno: '2.10.0' }, { deno: '3.0.0' }]) {
          const versions = { ...process.versions, node, ...other };
          const runtimeProblem = launcherFunction<() => string | undefined>('runtimeProblem', { olderDeno, process: { versions, version: `v${node}` } });
          Object.defineProperty(process, 'versions', { ...saved, value: versions });
          const expected = nodeVersionProblem();
          Object.defineProperty(process, 'versions', saved);
          expect(runtimeProblem(), JSON.stringify({ node, ...other })).toBe(expected);
          compared++;
          if (expected) refused++;
        }
      }
    } finally {
      Object.defineProperty(process, 'versions', saved);
    }
    expect([compared, refused]).toEqual([81, 51]);
  });
});
