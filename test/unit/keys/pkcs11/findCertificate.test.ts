import { describe, expect, it } from 'vitest';
import { howToChooseOne } from '../../../../src/keys/pkcs11/findCertificate.js';

describe('howToChooseOne', () => {
  it('names the attributes a URI that matched several objects lacks, and only those', () => {
    expect(howToChooseOne({})).toBe('add object= or id= to choose one');
    expect(howToChooseOne({ object: Buffer.from('dup') })).toBe('add id= to choose one');
    expect(howToChooseOne({ id: Buffer.from([1]) })).toBe('add object= to choose one');
    expect(howToChooseOne({ object: Buffer.from('dup'), id: Buffer.from([1]) })).toBe('they share their label and id: give each its own CKA_ID');
  });
});
