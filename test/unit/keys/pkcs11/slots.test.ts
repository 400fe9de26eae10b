import { describe, expect, it } from 'vitest';
import { tokensMatching, type Token } from '../../../../src/keys/pkcs11/slots.js';

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
