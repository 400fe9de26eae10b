import { describe, expect, it } from 'vitest';
import { describeObjectSearch, howToChooseOne } from '../../../../src/keys/pkcs11/findCertificate.js';

describe('howToChooseOne', () => {
  it('names the attributes a URI that matched several objects lacks, and only those', () => {
    expect(howToChooseOne({})).toBe('add object= or id= to choose one');
    expect(howToChooseOne({ object: Buffer.from('dup') })).toBe('add id= to choose one');
    expect(howToChooseOne({ id: Buffer.from([1]) })).toBe('add object= to choose one');
    expect(howToChooseOne({ object: Buffer.from('dup'), id: Buffer.from([1]) })).toBe('they share their label and id: give each its own CKA_ID');
  });
});

describe('describeObjectSearch', () => {
  it('says what a search looked for, and nothing for a search that took any object (QA: "with any CKA_LABEL and CKA_ID")', () => {
    expect(`has no certificate${describeObjectSearch({})}`).toBe('has no certificate');
    expect(describeObjectSearch({ object: Buffer.from('rsa') })).toBe(' with CKA_LABEL "rsa"');
    expect(describeObjectSearch({ object: Buffer.from('rsa'), id: Buffer.from([1]) })).toBe(' with CKA_LABEL "rsa" and CKA_ID %01');
  });
});
