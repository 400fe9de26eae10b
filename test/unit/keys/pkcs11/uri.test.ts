import { describe, expect, it } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import { checkObjectType, formatPkcs11Uri, parsePkcs11Uri, uriAsGiven } from '../../../../src/keys/pkcs11/uri.js';
import { option } from '../../../../src/optionNames.js';

describe('parsePkcs11Uri', () => {
  it('reads every path attribute, percent-decoded, and keeps the text as given for messages', () => {
    const text =
      'pkcs11:library-manufacturer=SoftHSM;library-description=Implementation%20of%20PKCS11;library-version=2.6;' +
      'slot-description=SoftHSM%20slot;slot-manufacturer=SoftHSM%20project;slot-id=0;model=SoftHSM%20v2;' +
      'manufacturer=SoftHSM%20project;serial=0123abcd;token=My%20Token;id=%01%AB;object=my%3bkey;type=private';
    const uri = parsePkcs11Uri(text);
    expect(uri).toEqual({
      given: text,
      libraryManufacturer: 'SoftHSM',
      libraryDescription: 'Implementation of PKCS11',
      libraryVersion: { major: 2, minor: 6 },
      slotDescription: 'SoftHSM slot',
      slotManufacturer: 'SoftHSM project',
      slotId: 0n,
      model: 'SoftHSM v2',
      manufacturer: 'SoftHSM project',
      serial: '0123abcd',
      token: 'My Token',
      id: Buffer.from([0x01, 0xab]),
      object: Buffer.from('my;key'),
      type: 'private',
    });
  });

  it('reads the query attributes', () => {
    expect(parsePkcs11Uri('pkcs11:token=t?pin-value=12%2634&module-name=softhsm2')).toEqual({
      given: 'pkcs11:token=t?module-name=softhsm2',
      token: 't',
      pinValue: '12&34',
      moduleName: 'softhsm2',
    });
    // A PIN may hold "pin-value=" itself.
    expect(parsePkcs11Uri('pkcs11:token=t?pin-value=a,pin-value=b').pinValue).toBe('a,pin-value=b');
    expect(parsePkcs11Uri('pkcs11:?pin-source=file:/run/pin&module-path=/usr/lib/softhsm/libsofthsm2.so')).toEqual({
      given: 'pkcs11:?pin-source=file:/run/pin&module-path=/usr/lib/softhsm/libsofthsm2.so',
      pinSource: 'file:/run/pin',
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
    });
  });

  it('accepts an empty path (every token and object), a literal + and UTF-8', () => {
    expect(parsePkcs11Uri('pkcs11:')).toEqual({ given: 'pkcs11:' });
    expect(parsePkcs11Uri('pkcs11:object=a+b;token=caf%C3%A9')).toEqual({ given: 'pkcs11:object=a+b;token=caf%C3%A9', object: Buffer.from('a+b'), token: 'café' });
  });

  it('keeps id and object as raw bytes, including ones that are not UTF-8', () => {
    const uri = parsePkcs11Uri('pkcs11:id=%00%FF;object=%FE%00x');
    expect(uri.id).toEqual(Buffer.from([0x00, 0xff]));
    expect(uri.object).toEqual(Buffer.from([0xfe, 0x00, 0x78]));
  });

  // Mutation QA: a case-sensitive scheme check passed every test, though isPkcs11Uri sends PKCS11: here.
  it('takes the scheme in any case', () => {
    expect(parsePkcs11Uri('PKCS11:token=a')).toEqual({ given: 'PKCS11:token=a', token: 'a' });
  });

  it('reads a major-only library-version as minor 0', () => {
    expect(parsePkcs11Uri('pkcs11:library-version=3').libraryVersion).toEqual({ major: 3, minor: 0 });
  });

  it.each([
    ['pkcs11:token', 'malformed path attribute "token" (expected name=value)'],
    ['pkcs11:=x', 'malformed path attribute "=x" (expected name=value)'],
    ['pkcs11:token=a;', 'malformed path attribute "" (expected name=value)'],
    ['pkcs11:token=a;token=b', 'duplicate path attribute "token"'],
    ['pkcs11:?module-name=a&module-name=b', 'duplicate query attribute "module-name"'],
    ['pkcs11:object=a%2', '"%2" is not a percent-encoded byte'],
    ['pkcs11:object=a%zz', '"%zz" is not a percent-encoded byte'],
    ['pkcs11:slot-id=0x1', 'slot-id "0x1" is not a decimal slot number'],
    ['pkcs11:slot-id=-1', 'slot-id "-1" is not a decimal slot number'],
    // aws_signing_helper reads a leading 0 as octal (slot-id=010 is its slot 8), RFC 7512 and p11-kit as decimal.
    ['pkcs11:slot-id=010', 'slot-id "010" has a leading 0, which aws_signing_helper reads as octal and RFC 7512 as decimal: write the slot number without it'],
    ['pkcs11:slot-id=18446744073709551616', 'slot-id "18446744073709551616" is past the largest slot number, 2^64 - 1'],
    ['pkcs11:library-version=1.2.3', 'library-version "1.2.3" is not of the form major[.minor]'],
    ['pkcs11:type=key', 'type "key" is not one of public, private, cert, secret-key, data'],
    ['pkcs11:?module-path=lib/softhsm.so', 'module-path must be an absolute path'],
    ['pkcs11:?pin-value=1&pin-source=/p', 'pin-value and pin-source are mutually exclusive'],
    ['pkcs11:token=a?pin-value=', 'pin-value is empty (leave it out for pin-source, AWS_ROLESANYWHERE_PKCS11_PIN or the terminal)'],
    ['pkcs11:token=a?pin-source=', 'pin-source is empty (it takes the path of a file that holds the PIN)'],
    // An empty module-name loaded ".so"; one with a "/" a path relative to the working folder.
    ['pkcs11:token=a?module-name=', 'module-name is empty (it takes the name of a module registered with p11-kit, such as softhsm2)'],
    ['pkcs11:token=a?module-name=../lib/softhsm2', 'module-name is a name, not a path (give a path with module-path)'],
    // A Windows path's backslash too (mutation QA: no test gave one).
    ['pkcs11:token=a?module-name=lib%5Csofthsm2', 'module-name is a name, not a path (give a path with module-path)'],
    // The reference refuses these too; a "?" at the end was taken, "&" at the end or "?&" named the URI as pkcs11:***.
    ['pkcs11:token=a?', 'empty query attribute (a "?" or "&" with no name=value after it)'],
    ['pkcs11:token=a?module-name=m&', 'empty query attribute (a "?" or "&" with no name=value after it)'],
    ['pkcs11:token=a?&module-name=m', 'empty query attribute (a "?" or "&" with no name=value after it)'],
    ['pkcs11:token=a?pin-value=Pin%E99999', 'pin-value is not UTF-8 text once percent-decoded (the PIN is passed to the module as UTF-8)'],
    ['pkcs11:token=a?pin-value=Pin\uFFFD9999', 'pin-value is not UTF-8 text once percent-decoded (the PIN is passed to the module as UTF-8)'],
    ['pkcs12:token=a', 'it does not start with "pkcs11:"'],
  ])('%s is malformed: %s', (text, reason) => {
    const shown = text.replace(/pin-value=.*$/, 'pin-value=***');
    expect(() => parsePkcs11Uri(text)).toThrow(new HelperError(`Malformed pkcs11 URI ${shown}: ${reason}`));
  });

  it('never repeats the PIN of a malformed URI', () => {
    const attempt = () => parsePkcs11Uri('pkcs11:token;object=x?pin-value=s3cret-pin&module-name=m');
    expect(attempt).toThrow(HelperError);
    expect(attempt).toThrow('Malformed pkcs11 URI pkcs11:token;object=x?pin-value=***: malformed path attribute "token"');
  });

  it.each([
    ['pkcs11:pin-value=1234;token=x', 'Malformed pkcs11 URI pkcs11:pin-value=***: unknown path attribute "pin-value" (a query attribute: it goes after "?")'],
    // The reference keeps an attribute on the wrong side of the "?" as one of its own, and ignores it.
    ['pkcs11:token=x;module-path=/usr/lib/m.so', 'Malformed pkcs11 URI pkcs11:token=x;module-path=***: unknown path attribute "module-path" (a query attribute: it goes after "?")'],
    ['pkcs11:?token=x', 'Malformed pkcs11 URI pkcs11:?token=***: unknown query attribute "token" (a path attribute: it goes before "?")'],
    ['pkcs11:token=x?Pin-Value=1234', 'Malformed pkcs11 URI pkcs11:token=x?Pin-Value=***: unknown query attribute "Pin-Value" (attribute names are lower case: pin-value)'],
    ['pkcs11:token=x?pin%2Dvalue=1234', 'Malformed pkcs11 URI pkcs11:token=x?pin%2Dvalue=***: unknown query attribute "pin%2Dvalue"'],
    ['pkcs11:token=a?pin-value', 'Malformed pkcs11 URI pkcs11:token=a?***: malformed query attribute (expected name=value)'],
    ['pkcs11:token=t?pin-value:1234&module-name=m', 'Malformed pkcs11 URI pkcs11:token=t?***: malformed query attribute (expected name=value)'],
    ['pkcs11:token=a?&pin-value=S3CRETPIN', 'Malformed pkcs11 URI pkcs11:token=a?&pin-value=***: empty query attribute (a "?" or "&" with no name=value after it)'],
    ['pkcs11:tokn=a', 'Malformed pkcs11 URI pkcs11:tokn=***: unknown path attribute "tokn"'],
    // The reference takes a name in another case for an attribute of its own, and ignores it: Token=a matched every token.
    ['pkcs11:Token=a', 'Malformed pkcs11 URI pkcs11:Token=***: unknown path attribute "Token" (attribute names are lower case: token)'],
    ['pkcs11:x-vendor=a', 'Malformed pkcs11 URI pkcs11:x-vendor=***: unknown path attribute "x-vendor"'],
    ['pkcs11:token=a?pin=1', 'Malformed pkcs11 URI pkcs11:token=a?pin=***: unknown query attribute "pin"'],
    ['pkcs11:token=x?pin-valu=S3CRETPIN&module-path=/m.so', 'Malformed pkcs11 URI pkcs11:token=x?pin-valu=***: unknown query attribute "pin-valu"'],
    ['pkcs11:token=x;pinvalue=S3CRETPIN', 'Malformed pkcs11 URI pkcs11:token=x;pinvalue=***: unknown path attribute "pinvalue"'],
    ...['type=private', 'object=key', 'token=t', 'slot-id=1', 'id=%01'].map((attribute) => [
      `pkcs11:${attribute}&pin-value=S3CRETPIN;object=x`,
      `Malformed pkcs11 URI pkcs11:${attribute}&pin-value=***: pin-value belongs in the query, after "?" (in the path, a "&" is part of the value before it)`,
    ]),
    ['pkcs11:token=t&Pin%2DValue=S3CRETPIN', 'Malformed pkcs11 URI pkcs11:token=t&Pin%2DValue=***: pin-value belongs in the query, after "?" (in the path, a "&" is part of the value before it)'],
    // The "?" mistyped (a blank, a ",", a "/", or percent-encoded by a script): the PIN was a value, quoted in "no matching slots" (QA).
    ...[' ', ',', '/', ':', '%3F', '%20'].map((before) => [
      `pkcs11:token=t;object=k${before}pin-value=S3CRETPIN`,
      `Malformed pkcs11 URI pkcs11:token=t;object=k${before}pin-value=***: pin-value must be a query attribute of its own`,
    ]),
    ['pkcs11:token=t?module-path=/m.so pin-value=S3CRETPIN', 'Malformed pkcs11 URI pkcs11:token=t?module-path=/m.so pin-value=***: pin-value must be a query attribute of its own'],
    // A second "?" for the "&": the PIN was the module's path or name, or pin-source's, quoted in the module's failure and in "no matching slots" (QA).
    ...['module-path=/m.so', 'module-name=softhsm2', 'pin-source=/run/pin'].map((attribute) => [
      `pkcs11:token=t;object=k?${attribute}?pin-value=S3CRETPIN`,
      `Malformed pkcs11 URI pkcs11:token=t;object=k?${attribute}?pin-value=***: pin-value must be a query attribute of its own`,
    ]),
  ])('never repeats a PIN given where no PIN belongs: %s', (text, message) => {
    expect(() => parsePkcs11Uri(text)).toThrow(new HelperError(message));
  });

  it.each([
    ['pkcs11:token=a?pin-value=12&34', 'a query attribute after pin-value is malformed, unknown or repeated (write a "&" in a PIN as %26)'],
    ['pkcs11:token=a?pin-value=12&34=5', 'a query attribute after pin-value is malformed, unknown or repeated (write a "&" in a PIN as %26)'],
    ['pkcs11:token=a?pin-value=12&pin-value=34', 'a query attribute after pin-value is malformed, unknown or repeated (write a "&" in a PIN as %26)'],
    // Mutation QA: a PIN ending in a raw "&", and one whose raw "&" comes after a valid attribute, were untested.
    ['pkcs11:token=a?pin-value=12&', 'a query attribute after pin-value is malformed, unknown or repeated (write a "&" in a PIN as %26)'],
    ['pkcs11:token=a?pin-value=12&module-name=m&34', 'a query attribute after pin-value is malformed, unknown or repeated (write a "&" in a PIN as %26)'],
    ['pkcs11:token=a?pin-value=12%3', 'pin-value is not percent-encoded correctly'],
    ['pkcs11:token=a?pin-value=12%zz34', 'pin-value is not percent-encoded correctly'],
  ])('never repeats any part of a PIN with a raw "&" or a bad escape: %s (issue 13, item 12)', (text, reason) => {
    expect(() => parsePkcs11Uri(text)).toThrow(new HelperError(`Malformed pkcs11 URI pkcs11:token=a?pin-value=***: ${reason}`));
  });
});

describe('formatPkcs11Uri', () => {
  it('writes attributes in a fixed order, ids fully percent-encoded, and no pin-value', () => {
    const text = formatPkcs11Uri({
      type: 'cert',
      object: Buffer.from('my cert;1'),
      id: Buffer.from('AB'),
      token: 'tok/en',
      serial: '42',
      manufacturer: 'SoftHSM project',
      model: 'SoftHSM v2',
      slotId: 7n,
      pinValue: '1234',
      pinSource: '/run/pin file',
      modulePath: '/usr/lib/x.so',
    });
    expect(text).toBe(
      'pkcs11:slot-id=7;model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=42;token=tok%2Fen;id=%41%42;' +
        'object=my%20cert%3B1;type=cert?module-path=/usr/lib/x.so&pin-source=/run/pin%20file',
    );
  });

  it('round-trips through the parser', () => {
    const uri = parsePkcs11Uri(
      'pkcs11:library-version=2.6;slot-description=a%20b;token=%E2%82%AC;id=%00%01;object=%FF;type=cert?module-name=softhsm2',
    );
    const { given: _given, ...parsed } = uri;
    expect(parsePkcs11Uri(formatPkcs11Uri(uri))).toEqual({ ...parsed, given: formatPkcs11Uri(uri) });
  });

  // Mutation QA: a raw "&" in a query value, which splits it when read back, passed every test.
  it('percent-encodes a "&" in a query value', () => {
    const text = formatPkcs11Uri({ pinSource: '/run/a&b.pin' });
    expect(text).toBe('pkcs11:?pin-source=/run/a%26b.pin');
    expect(parsePkcs11Uri(text).pinSource).toBe('/run/a&b.pin');
  });

  it('formats an empty URI', () => {
    expect(formatPkcs11Uri({})).toBe('pkcs11:');
  });
});

describe('uriAsGiven', () => {
  it('keeps the URI as written, leaving out only its pin-value, however spelt', () => {
    expect(uriAsGiven('pkcs11:object=x;token=t')).toBe('pkcs11:object=x;token=t');
    expect(uriAsGiven('pkcs11:object=x;token=t?pin-value=1234')).toBe('pkcs11:object=x;token=t');
    expect(uriAsGiven('pkcs11:object=x?module-name=softhsm2&PIN%2DValue=12%263&pin-source=file:/p')).toBe('pkcs11:object=x?module-name=softhsm2&pin-source=file:/p');
  });
});

// Mutation QA: uriName ignoring the URI as given, and a type check that let another type through, passed every test.
describe('checkObjectType', () => {
  it('refuses a URI naming objects of another type, naming the URI as given (its PIN left out)', () => {
    expect(() => checkObjectType(parsePkcs11Uri('pkcs11:type=public;token=t?pin-value=1234'), 'private', 'privateKey')).toThrow(
      new HelperError(`${option('privateKey')} pkcs11:type=public;token=t names objects of type=public; it must name type=private (or leave type out)`),
    );
    expect(() => checkObjectType(parsePkcs11Uri('pkcs11:type=private'), 'cert', 'certificate')).toThrow(
      new HelperError(`${option('certificate')} pkcs11:type=private names objects of type=private; it must name type=cert (or leave type out)`),
    );
  });

  it('takes a URI naming objects of its type, or of no type', () => {
    expect(() => checkObjectType(parsePkcs11Uri('pkcs11:token=t;type=cert'), 'cert', 'certificate')).not.toThrow();
    expect(() => checkObjectType(parsePkcs11Uri('pkcs11:token=t'), 'private', 'privateKey')).not.toThrow();
  });
});
