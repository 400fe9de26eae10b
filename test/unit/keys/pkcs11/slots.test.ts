import { describe, expect, it } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import type { Pkcs11Api } from '../../../../src/keys/pkcs11/module.js';
import { checkLibrary, tokensMatching, type Token } from '../../../../src/keys/pkcs11/slots.js';
import { parsePkcs11Uri } from '../../../../src/keys/pkcs11/uri.js';

function token(slotId: bigint, label: string, serial = `serial-${slotId}`): Token {
  return {
    slot: Buffer.alloc(8),
    slotId,
    slotDescription: `Slot ${slotId}`,
    slotManufacturer: 'Vendor',
    label,
    manufacturer: 'Maker',
    model: 'Model 1',
    serial,
    loginRequired: true,
  };
}

const tokens = [token(0n, 'card'), token(1n, 'card-2'), token(7n, 'hsm')];
const labels = (uri: Parameters<typeof tokensMatching>[1]) => tokensMatching(tokens, uri).map((t) => t.label);

describe('tokensMatching', () => {
  it('matches every token when the URI names none', () => {
    expect(labels({})).toEqual(['card', 'card-2', 'hsm']);
  });

  it('selects slot 0 by slot-id=0 (the reference took 0 to mean any slot)', () => {
    expect(labels({ slotId: 0n })).toEqual(['card']);
    expect(labels({ slotId: 7n })).toEqual(['hsm']);
    expect(labels({ slotId: 3n })).toEqual([]);
  });

  it('compares labels and other strings exactly: no prefixes, no case folding', () => {
    expect(labels({ token: 'card' })).toEqual(['card']);
    expect(labels({ token: 'Card' })).toEqual([]);
    expect(labels({ token: 'car' })).toEqual([]);
    expect(labels({ token: 'card ' })).toEqual([]);
  });

  it('needs every attribute the URI gives to match', () => {
    expect(labels({ manufacturer: 'Maker', model: 'Model 1', serial: 'serial-1' })).toEqual(['card-2']);
    expect(labels({ token: 'hsm', serial: 'serial-0' })).toEqual([]);
    expect(labels({ slotDescription: 'Slot 7', slotManufacturer: 'Vendor' })).toEqual(['hsm']);
    expect(labels({ slotManufacturer: 'Other' })).toEqual([]);
  });
});

// Mutation QA: the tokens above share manufacturer and model, so dropping either comparison passed every test.
it('selects by manufacturer and by model alone, as the URI gives them', () => {
  const made = (label: string, manufacturer: string, model: string): Token => ({ ...token(0n, label), manufacturer, model });
  const mixed = [made('a', 'Maker', 'Model 1'), made('b', 'Other', 'Model 1'), made('c', 'Maker', 'Model 2')];
  const picked = (uri: Parameters<typeof tokensMatching>[1]) => tokensMatching(mixed, uri).map((t) => t.label);
  expect(picked({ manufacturer: 'Other' })).toEqual(['b']);
  expect(picked({ model: 'Model 2' })).toEqual(['c']);
  expect(picked({ manufacturer: 'Other', model: 'Model 2' })).toEqual([]);
});

// Mutation QA: no test called checkLibrary, so a library-description or a library-version minor left unchecked passed.
describe('checkLibrary', () => {
  const api = {
    C_GetInfo: () => ({
      manufacturerID: 'SoftHSM'.padEnd(32),
      libraryDescription: 'Implementation of PKCS11'.padEnd(32),
      libraryVersion: { major: 2, minor: 6 },
    }),
  } as unknown as Pkcs11Api;
  const check = (text: string) => () => checkLibrary(api, parsePkcs11Uri(text), '/usr/lib/softhsm/libsofthsm2.so');

  it('takes the module when every library attribute the URI gives matches', () => {
    expect(check('pkcs11:library-manufacturer=SoftHSM;library-description=Implementation%20of%20PKCS11;library-version=2.6')).not.toThrow();
    expect(check('pkcs11:token=t')).not.toThrow();
  });

  it.each(['pkcs11:library-version=2.5', 'pkcs11:library-version=2', 'pkcs11:library-description=Other;token=t', 'pkcs11:library-manufacturer=Other'])(
    'refuses it when %s names another library',
    (text) => {
      expect(check(text)).toThrow(
        new HelperError(
          `no matching slots: ${text} names another library than /usr/lib/softhsm/libsofthsm2.so ` +
            '(library-manufacturer=SoftHSM, library-description=Implementation of PKCS11, library-version=2.6)',
        ),
      );
    },
  );
});
