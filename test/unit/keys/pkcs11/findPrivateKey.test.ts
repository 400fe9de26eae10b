import { describe, expect, it } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import { findPrivateKey, type PrivateKeySearch } from '../../../../src/keys/pkcs11/findPrivateKey.js';
import type { Token } from '../../../../src/keys/pkcs11/slots.js';
import { parsePkcs11Uri } from '../../../../src/keys/pkcs11/uri.js';

function token(slotId: bigint, label: string, serial: string): Token {
  return { slot: Buffer.alloc(8), slotId, slotDescription: '', slotManufacturer: '', label, manufacturer: 'Maker', model: 'Model', serial, loginRequired: true };
}

/** A search that fails choosing the token, before any session is opened. */
function search(uri: string, tokens: Token[]): PrivateKeySearch {
  return {
    keyUri: parsePkcs11Uri(uri),
    description: uri,
    derivedFromCertificate: false,
    certificate: undefined,
    tokens,
    sessions: { on: () => expect.unreachable('a session opened') } as never,
    pins: undefined as never,
    modulePath: '/m.so',
  };
}

describe('findPrivateKey: a key URI matching several tokens', () => {
  it('says to add token=, where their labels differ', async () => {
    await expect(findPrivateKey(search('pkcs11:id=%01', [token(1n, 'a', 's1'), token(2n, 'b', 's2')]))).rejects.toThrow(
      new HelperError('Could not identify unique slot for PKCS#11 key: pkcs11:id=%01 matches tokens "a", "b"; add token= to choose one'),
    );
  });

  // QA: two tokens labelled alike were "tokens "twin", "twin"; add token= to choose one", token= being given.
  it('says to add serial=, naming each serial, where their labels repeat', async () => {
    await expect(findPrivateKey(search('pkcs11:token=twin', [token(1n, 'twin', 's1'), token(2n, 'twin', 's2')]))).rejects.toThrow(
      new HelperError(
        'Could not identify unique slot for PKCS#11 key: pkcs11:token=twin matches tokens "twin" (serial s1), "twin" (serial s2); add serial= to choose one',
      ),
    );
  });
});
