import { afterAll, describe, expect, it } from 'vitest';
import { parseCertSelector } from '../../../src/keys/certSelector.js';
import { Workspace } from '../../support/scenario.js';

const workspace = new Workspace();
afterAll(() => workspace.cleanup());
const file = (name: string, content: string) => `file://${workspace.write(name, content)}`;

describe('--cert-selector (the reference\'s test cases)', () => {
  it.each([
    'Key=x509Subject,Value=CN=Subject Key=x509Issuer,Value=CN=Issuer Key=x509Serial,Value=15D19632234BF759A32802C0DA88F9E8AFC8702D',
    'Key=x509Issuer,Value=CN=Issuer',
    'Key=x509Subject,Value=CN=CN With Spaces Key=x509Issuer,Value=CN=CN With Spaces,OU=OU With Spaces',
    'Key=x509Subject,Value=CN=CN With Spaces,O=O With Spaces Key=x509Issuer,Value=CN=Issuer',
    ' \n  Key=x509Subject,Value=CN=CN With Spaces,O=O With Spaces   \t   Key=x509Issuer,Value=CN=Issuer  \n',
  ])('parses %j', (text) => {
    expect(() => parseCertSelector(text)).not.toThrow();
  });

  it('keeps internal runs of spaces and trims the end of each value', () => {
    expect(parseCertSelector(' \n  Key=x509Subject,Value=CN=CN With Trailing Spaces  ,O=O With Spaces   \t   Key=x509Issuer,Value=CN=Issuer  \n ')).toEqual({
      x509Subject: 'CN=CN With Trailing Spaces  ,O=O With Spaces',
      x509Issuer: 'CN=Issuer',
    });
  });

  it('reads JSON files (field names in any case, unknown fields ignored)', () => {
    const path = file('all.json', JSON.stringify([{ Key: 'x509Subject', Value: 'CN=a' }, { key: 'x509Serial', value: 'ab12', extra: 1 }]));
    expect(parseCertSelector(path)).toEqual({ x509Subject: 'CN=a', x509Serial: 'ab12' });
  });

  it.each([
    ['laksdjadf', /^unable to parse cert selector string at "laksdjadf"$/],
    ['Key=laksdjf,Valalsd', /^unable to parse cert selector string/],
    ['Key=aljsdf,Value=aljsdfadsf', /^cert selector contained invalid key "aljsdf"$/],
    ['asdf Key=x509Subject,Value=Test', /^unable to parse cert selector string at "asdf Key=x509Subject,Value=Test"$/],
    ['Key=x509Subject,Value=Test Key=x509Subject,Value=Test2', /^duplicate x509Subject keys can't be present in cert selector$/],
    ['Key=x509Serial,Value=alskjdfz', /x509Serial "alskjdfz" is not hexadecimal$/],
  ])('refuses %j', (text, message) => {
    expect(() => parseCertSelector(text)).toThrow(message);
  });

  it('refuses bad JSON files', () => {
    expect(() => parseCertSelector(file('bad.json', 'not json'))).toThrow(/^unable to parse JSON map entries in .*: not JSON$/);
    expect(() => parseCertSelector(file('object.json', '{"Key":"x509Subject","Value":"CN=a"}'))).toThrow(/expected an array/);
    expect(() => parseCertSelector(file('dup.json', '[{"Key":"x509Issuer","Value":"a"},{"Key":"x509Issuer","Value":"b"}]'))).toThrow("duplicate x509Issuer keys can't be present in cert selector");
    expect(() => parseCertSelector('file:///nonexistent/selector.json')).toThrow('unable to read cert selector file /nonexistent/selector.json');
  });

  it('refuses an empty selector, and JSON entries that are not objects or whose Key or Value is not a string (coverage audit: none was driven)', () => {
    for (const text of ['', ' \n\t ']) expect(() => parseCertSelector(text)).toThrow(/^unable to parse cert selector string: it is empty$/);
    for (const [name, json] of [['number.json', '[1]'], ['null.json', '[null]']] as const) {
      expect(() => parseCertSelector(file(name, json))).toThrow(/^unable to parse JSON map entries in \S+: expected objects$/);
    }
    expect(() => parseCertSelector(file('key.json', '[{"Key":5,"Value":"CN=a"}]'))).toThrow(/^unable to parse JSON map entries in \S+: key must be a string$/);
    expect(() => parseCertSelector(file('value.json', '[{"Key":"x509Subject","value":["CN=a"]}]'))).toThrow(/^unable to parse JSON map entries in \S+: value must be a string$/);
  });
});
