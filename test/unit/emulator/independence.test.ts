import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/cli.js';
import { sourceImports } from '../../support/sourceImports.js';

/** The client's request-making code, which the emulator checks and so must not share. */
const CLIENT_FOLDERS = ['src/sigv4x509/', 'src/session/', 'src/sts/', 'src/http/', 'src/credentials/', 'src/cli/'];

describe('the emulator', () => {
  it("reaches none of the client's signing, session, STS or HTTP code, so that a mistake there cannot hide the same mistake in the check", async () => {
    const inputs = await sourceImports([join(projectRoot, 'src/emulator/index.ts')]);
    const reached = Object.keys(inputs).filter((file) => file.startsWith('src/'));
    expect(reached).toContain('src/emulator/sts/verifySigV4.ts');
    expect(reached.filter((file) => CLIENT_FOLDERS.some((folder) => file.startsWith(folder)))).toEqual([]);
  });
});
