import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import { Pins } from '../../../../src/keys/pkcs11/pin.js';

const pinsFrom = (pinSource: string) => new Pins({ uris: [{ pinSource }], interactive: false, reusePin: false, env: {} });

describe('a pin-source that is not there', () => {
  // QA: pin-source=token.pin worked in a shell and was "no such file" when the AWS CLI or an SDK ran the helper elsewhere.
  it('given as a relative path, says which folder it was looked for in', () => {
    expect(() => pinsFrom('no-such-token.pin').userPin()).toThrow(
      new HelperError(
        `unable to read PKCS#11 PIN from pin-source (a relative path, read from the working folder ${process.cwd()}): ` +
          'no such file or directory (the path given is not shown: it may be the secret itself)',
      ),
    );
  });

  it('given as an absolute path, says only that it is not there', () => {
    expect(() => pinsFrom('/nonexistent/token.pin').userPin()).toThrow(
      new HelperError('unable to read PKCS#11 PIN from pin-source: no such file or directory (the path given is not shown: it may be the secret itself)'),
    );
  });
});

// Mutation QA: reading the pin-source as given rather than the path its file: URI names passed every test.
it('reads a pin-source given as a file: URI from the path it names', () => {
  const folder = mkdtempSync(join(tmpdir(), 'rah-pin-'));
  try {
    const file = join(folder, 'token.pin');
    writeFileSync(file, '1234\n', { mode: 0o600 });
    expect(pinsFrom(pathToFileURL(file).href).userPin()?.value).toBe('1234');
  } finally {
    rmSync(folder, { recursive: true });
  }
});

// Coverage audit: no test gave a pin-source of another scheme, or a command, which the reference does not take either.
it('refuses a pin-source that is a URI of another scheme or a command, without showing it (it may be the PIN itself)', () => {
  for (const source of ['env:123456', 'https://example.com/123456', '|echo 123456']) {
    let thrown: unknown;
    try {
      pinsFrom(source).userPin();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(new HelperError('unable to read PKCS#11 PIN from pin-source: only files are supported (a path or a file: URI)'));
    expect(String((thrown as Error).message)).not.toContain('123456');
  }
});
