import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import { Pins } from '../../../../src/keys/pkcs11/pin.js';
import type { Pkcs11Uri } from '../../../../src/keys/pkcs11/uri.js';
import { SECRET_VARIABLES } from '../../../../src/keys/secretVariables.js';
import { option } from '../../../../src/optionNames.js';

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

// Mutation QA: reading the URIs last to first, or offering the user PIN as the context-specific PIN without
// --reuse-pin, passed every test.
describe('the PIN given without a prompt', () => {
  const userPin = (uris: Pkcs11Uri[]) =>
    new Pins({ uris, interactive: false, reusePin: false, env: { [SECRET_VARIABLES.pkcs11Pin]: 'env-pin' } }).userPin();

  it("is the key URI's before the certificate URI's, and the environment variable's only when no URI gives one", () => {
    expect(userPin([{ pinValue: 'key-pin' }, { pinValue: 'cert-pin' }])).toEqual({ value: 'key-pin', source: "the URI's pin-value" });
    expect(userPin([{}, { pinValue: 'cert-pin' }])).toEqual({ value: 'cert-pin', source: "the URI's pin-value" });
    expect(userPin([{}, {}])).toEqual({ value: 'env-pin', source: SECRET_VARIABLES.pkcs11Pin });
  });

  it('is the context-specific PIN too only with --reuse-pin, which its source names', () => {
    const pins = (reusePin: boolean) => new Pins({ uris: [{ pinValue: '1234' }], interactive: false, reusePin, env: {} });
    expect(pins(false).contextPin()).toBeUndefined();
    expect(pins(true).contextPin()).toEqual({ value: '1234', source: `the URI's pin-value (${option('reusePin')})` });
  });
});

// Mutation QA: without the "file:/" check, file:token.pin was read as /token.pin; the host's message was untested.
it.each([
  ['file:token.pin', 'it is not a file: URI with an absolute path'],
  ['file:/run/%2Ftoken.pin', 'it is not a file: URI with an absolute path'],
  ['file://pinhost/run/token.pin', "it names a host (file://host/...), and only this machine's files are read: write file:///path"],
])('refuses the pin-source %s, saying why', (source, reason) => {
  expect(() => pinsFrom(source).userPin()).toThrow(new HelperError(`unable to read PKCS#11 PIN from pin-source: ${reason}`));
});
