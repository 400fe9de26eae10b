import { describe, expect, it } from 'vitest';
import { parseAssumeRoleResponse, readStsError } from '../../../src/sts/stsResponse.js';
import { inOnePass } from '../../support/onePass.js';

const answer = (credentials: string, user = '<AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId><Arn>arn:aws:sts::210987654321:assumed-role/deploy/s</Arn></AssumedRoleUser>') =>
  `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>workload</SourceIdentity>
    ${user}
    <Credentials>${credentials}</Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;
const CREDENTIALS =
  '<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>se&amp;cret&#x2F;</SecretAccessKey><SessionToken>to&lt;k&#61;en</SessionToken><Expiration>2026-12-01T12:00:00Z</Expiration>';

describe('AssumeRole\'s XML answer', () => {
  it('gives the credentials, entities decoded, the expiration as written, and the role\'s account', () => {
    expect(parseAssumeRoleResponse(answer(CREDENTIALS))).toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'se&cret/',
      sessionToken: 'to<k=en',
      expiration: new Date('2026-12-01T12:00:00Z'),
      expirationText: '2026-12-01T12:00:00Z',
      accountId: '210987654321',
    });
    expect(parseAssumeRoleResponse(answer(CREDENTIALS, '')).accountId).toBeUndefined();
  });

  it('says what is missing', () => {
    // Another's (a captive portal's page): what it says of itself (verify: only "not an AssumeRole answer").
    expect(() => parseAssumeRoleResponse('<html>hello</html>', { 'content-type': 'text/html' })).toThrow(
      new Error("the response is not an AssumeRole answer: the answer is not STS's (Content-Type text/html): <html>hello</html>"),
    );
    expect(() => parseAssumeRoleResponse('<AssumeRoleResponse><AssumeRoleResult><Credentials><SecretAccessKey>s</SecretAccessKey>')).toThrow(
      new Error('the response is cut short (no </AssumeRoleResponse>)'),
    );
    expect(() => parseAssumeRoleResponse('<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>')).toThrow('the response has no Credentials');
    expect(() => parseAssumeRoleResponse(answer(CREDENTIALS.replace(/<SessionToken>.*<\/SessionToken>/, '')))).toThrow("the response's Credentials have no SessionToken");
    // Empty is none too, not a key holding a bad character (mutation QA).
    expect(() => parseAssumeRoleResponse(answer(CREDENTIALS.replace('ASIAEXAMPLE', '')))).toThrow("the response's Credentials have no AccessKeyId");
    expect(() => parseAssumeRoleResponse(answer(CREDENTIALS.replace('2026-12-01T12:00:00Z', 'soon')))).toThrow('the response\'s Expiration "soon" is not a date');
  });

  it('refuses a key or token with a line break, a blank, a control or a non-ASCII character, entities and CDATA included: update would write it into the credentials file as lines of their own (QA)', () => {
    for (const [name, value] of [['AccessKeyId', 'ASIA&#10;[evil]&#10;credential_process = x'], ['SecretAccessKey', '<![CDATA[s\n[evil]]]>'], ['SessionToken', 'to ken'], ['AccessKeyId', '&#32;'], ['SessionToken', 'a&#0;b'], ['SecretAccessKey', 'sé']] as const) {
      const odd = CREDENTIALS.replace(new RegExp(`<${name}>.*</${name}>`), `<${name}>${value}</${name}>`);
      expect(() => parseAssumeRoleResponse(answer(odd))).toThrow(new Error(`the response's Credentials ${name} holds a blank, control or non-ASCII character`));
    }
  });

  it('refuses an Expiration that is not an RFC 3339 date and time with its zone (QA: "2027" taken for 2027-01-01)', () => {
    for (const odd of ['2026-12-01T12:00:00', '2027', '12/31/2026']) {
      expect(() => parseAssumeRoleResponse(answer(CREDENTIALS.replace('2026-12-01T12:00:00Z', odd)))).toThrow(
        new Error(`the response's Expiration "${odd}" is not a date and time with its zone (RFC 3339)`),
      );
    }
  });

  it('refuses a document cut short, though the fields are all there (a connection dropped mid-answer)', () => {
    const whole = answer(CREDENTIALS);
    expect(() => parseAssumeRoleResponse(whole.slice(0, whole.indexOf('</AssumeRoleResult>')))).toThrow('the response is cut short (no </AssumeRoleResponse>)');
  });

  it('takes namespace prefixes and attributes on opening and closing tags, and the first closing tag after the first opening one', () => {
    const prefixed = answer(CREDENTIALS)
      .replace('<Credentials>', '<sts:Credentials\n  a="1">')
      .replace('</Credentials>', '</sts:Credentials>')
      .replace('<AccessKeyId>ASIAEXAMPLE</AccessKeyId>', '<x:AccessKeyId>ASIAFIRST</AccessKeyId><AccessKeyId>ASIASECOND</AccessKeyId>');
    expect(parseAssumeRoleResponse(prefixed).accessKeyId).toBe('ASIAFIRST');
    // Not the tag: a longer name, a name inside another's, a prefix without its colon.
    // (Each holding credentials of its own, which a lookalike taken for the tag would give: mutation QA.)
    const lookalikes = answer(CREDENTIALS).replace(
      '<Credentials>',
      '<CredentialsX><AccessKeyId>ASIAX</AccessKeyId></CredentialsX><MyCredentials><AccessKeyId>ASIAMY</AccessKeyId></MyCredentials><Credentials>',
    );
    expect(parseAssumeRoleResponse(lookalikes).accessKeyId).toBe('ASIAEXAMPLE');
    // A prefix holds underscores as names do (mutation QA).
    expect(parseAssumeRoleResponse(answer(CREDENTIALS).replace('<Credentials>', '<sts_1:Credentials>').replace('</Credentials>', '</sts_1:Credentials>')).accessKeyId).toBe('ASIAEXAMPLE');
  });

  it('reads a megabyte of opening tags without closing ones in one pass (fuzzing QA: 47 s, the attempt\'s timeout unable to fire)', () => {
    // The former regular expression took 12 s for the first.
    expect(() => inOnePass(() => parseAssumeRoleResponse('<AssumeRoleResponse>'.repeat(50_000)))).toThrow('the response is cut short (no </AssumeRoleResponse>)');
    expect(inOnePass(() => readStsError({}, '<Error>'.repeat(140_000))).code).toBe('UnknownError');
    expect(inOnePass(() => readStsError({}, `${'<Error a="'.repeat(100_000)}>`)).code).toBe('UnknownError');
    expect(inOnePass(() => readStsError({}, `${'</x:Error>'.repeat(100_000)}<Error><Code>Late</Code></Error>`)).code).toBe('Late');
  });

  it('reads a value in a CDATA section as it is', () => {
    const cdata = CREDENTIALS.replace('to&lt;k&#61;en', '<![CDATA[to<k&#61;en]]>');
    expect(parseAssumeRoleResponse(answer(cdata)).sessionToken).toBe('to<k&#61;en');
  });
});

describe('STS\'s error document', () => {
  const refusal = '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: a is not authorized &amp; so on</Message></Error><RequestId>r-2</RequestId></ErrorResponse>';

  it('gives the code, the message and the request ID (the header\'s first)', () => {
    expect(readStsError({}, refusal)).toEqual({ code: 'AccessDenied', message: 'User: a is not authorized & so on', requestId: 'r-2' });
    expect(readStsError({ 'x-amzn-requestid': 'h-1' }, refusal).requestId).toBe('h-1');
    expect(readStsError({}, refusal.replace('&amp;', '&#x110000;&#99999999999999999999999;')).message).toBe('User: a is not authorized &#x110000;&#99999999999999999999999; so on');
    // An entity XML does not define stays as written, as one past Unicode does (mutation QA).
    expect(readStsError({}, refusal.replace('&amp;', '&nbsp;')).message).toBe('User: a is not authorized &nbsp; so on');
    expect(readStsError({}, '')).toEqual({ code: 'UnknownError', message: 'the answer is empty', requestId: '' });
    expect(readStsError({}, '<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>')).toEqual({ code: 'Throttling', message: 'the answer gives no message', requestId: '' });
    // An <Error> without its <Code> is the SDKs' UnknownError (QA: a mutation of it went unseen).
    expect(readStsError({}, '<ErrorResponse><Error><Message>no code</Message></Error><RequestId>r-3</RequestId></ErrorResponse>')).toEqual({ code: 'UnknownError', message: 'no code', requestId: 'r-3' });
    // Nor is an empty <Code>, nor an empty <Message> a message (mutation QA).
    expect(readStsError({}, '<ErrorResponse><Error><Code> </Code><Message></Message></Error></ErrorResponse>')).toEqual({ code: 'UnknownError', message: 'the answer gives no message', requestId: '' });
    // Not STS's answer (QA: "api error UnknownError: UnknownError" of a proxy's page, or of a wrong --sts-endpoint).
    expect(readStsError({}, 'Service Unavailable')).toEqual({ code: 'UnknownError', message: "the answer is not STS's: Service Unavailable", requestId: '' });
    expect(readStsError({ 'x-amzn-errortype': 'NotImplemented:http://internal' }, '{"message":"not here"}')).toEqual({ code: 'NotImplemented', message: 'not here', requestId: '' });
    const page = `<html>\n<body>${'Forbidden by proxy. '.repeat(20)}</body></html>`;
    expect(readStsError({}, page).message).toBe(`the answer is not STS's: ${page.replace(/\s+/g, ' ').slice(0, 160)}…`);
  });
});
