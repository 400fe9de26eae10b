import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../src/log/logger.js';
import { warnIfSwappable } from '../../../../src/outputs/credentialsFile/swappableFolder.js';

const asRoot = process.getuid?.() === 0;
const OTHER_UID = 65534;

describe('warnIfSwappable', () => {
  let dir: string;
  let warnings: string[];
  const logger = { ...silentLogger, warn: (line: string) => warnings.push(line) };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swappable-'));
    warnings = [];
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(asRoot)("another user's folder: said to a user, not to root writing there (sudo -E with their HOME gives them the file)", () => {
    const theirs = join(dir, 'theirs');
    mkdirSync(theirs, { mode: 0o755 });
    chownSync(theirs, OTHER_UID, OTHER_UID);
    const path = join(theirs, 'credentials');
    warnIfSwappable(path, path, logger);
    expect(warnings).toEqual([]);
    // A user (not root) whose folders, and root's, are its own.
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    const missing = join(theirs, 'new', 'credentials');
    warnIfSwappable(missing, missing, logger);
    expect(warnings).toEqual([
      `the credentials file ${missing} is inside ${theirs}, which belongs to another user: another user could replace it with a file of their own, whose credentials SDKs would then use`,
    ]);
  });

  it('a folder with the sticky bit (/tmp) or writable by its group only: nothing said', () => {
    const sticky = join(dir, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    const group = join(dir, 'group');
    mkdirSync(group);
    chmodSync(group, 0o775);
    for (const folder of [sticky, group]) warnIfSwappable(join(folder, 'credentials'), join(folder, 'credentials'), logger);
    expect(warnings).toEqual([]);
  });
});
