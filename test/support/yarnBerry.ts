import { join } from 'node:path';
import { cachedNpmPackage } from './cachedNpmPackage.js';
import { projectRoot } from './cli.js';

/**
 * Yarn 4, from the npm registry's @yarnpkg/cli-dist (the whole of Yarn in one file), at the release the tests
 * were written against (the newest on 2026-12-05): a new release must not turn CI red overnight.
 */
const VERSION = '4.18.1';

/**
 * The path of Yarn Berry's yarn.js (run it with node), installed once into .cache/yarn-<version>/ of the project.
 * Its global folder (the packages' zip archives) is there too: see yarnEnv.
 */
export function yarnBerry(): string {
  return cachedNpmPackage(`@yarnpkg/cli-dist@${VERSION}`, `yarn-${VERSION}`, 'node_modules/@yarnpkg/cli-dist/bin/yarn.js');
}

/**
 * Yarn's settings for the tests: its global cache of packages kept in .cache/ between runs, no telemetry, and
 * installs that may write the lockfile: on a machine that says it is CI (CI=true and the like), Yarn otherwise
 * refuses any `yarn install` that would create or change one (YN0028), which every install of the tests' new
 * projects does (`yarn add` is exempt).
 */
export function yarnEnv(): Record<string, string> {
  return {
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    YARN_GLOBAL_FOLDER: join(projectRoot, `.cache/yarn-${VERSION}/global`),
    YARN_ENABLE_GLOBAL_CACHE: 'true',
    YARN_ENABLE_TELEMETRY: 'false',
    YARN_ENABLE_PROGRESS_BARS: 'false',
  };
}
