import { describe, expect, it } from 'vitest';
import { withoutSentSecrets } from '../../../src/http/sentSecrets.js';

const TOKEN = 'IQoJb3JpZ2luX2Vj/abc+def=';
const sent = { 'X-Amz-Security-Token': TOKEN, 'Proxy-Authorization': `Basic ${Buffer.from('user:pass-word').toString('base64')}`, Host: 'sts.example.test' };
const refusal = (body: string) => ({ status: 403, headers: {}, body });

describe('withoutSentSecrets', () => {
  it('blanks the session token and the proxy credentials a refusal echoes, as they are, JSON-escaped or percent-encoded (QA, review)', () => {
    const echoed = [TOKEN, TOKEN.replaceAll('/', '\\/'), encodeURIComponent(TOKEN), sent['Proxy-Authorization'], Buffer.from('user:pass-word').toString('base64')];
    const { body } = withoutSentSecrets(refusal(echoed.join(' | ')), sent);
    expect(body).toBe(Array(5).fill('<redacted>').join(' | '));
  });

  it('leaves the rest of a refusal whole, and an answer that holds none of them', () => {
    expect(withoutSentSecrets(refusal('host sts.example.test refused'), sent).body).toBe('host sts.example.test refused');
    const success = { status: 200, headers: {}, body: '<AssumeRoleResponse>' };
    expect(withoutSentSecrets(success, sent)).toBe(success);
  });

  it("blanks them in a success too: one that is not the service's answer is quoted (QA: a 200 echoing the request)", () => {
    expect(withoutSentSecrets({ status: 200, headers: {}, body: `token: ${TOKEN}` }, sent).body).toBe('token: <redacted>');
  });

  it("blanks the request's signature, which with the rest of an echoed request sends it again (QA: a JSON refusal quoting the request)", () => {
    const signature = '3045022100a166b7f2eedef01661031f2dda7cf65d03d64d88f442ba9a0d7da144cd245bac';
    const authorization = `AWS4-X509-ECDSA-SHA256 Credential=65308/20261205/us-east-1/rolesanywhere/aws4_request, SignedHeaders=content-type;host, Signature=${signature}`;
    const echo = JSON.stringify({ message: `authorization: ${authorization}` });
    expect(withoutSentSecrets(refusal(echo), { Authorization: authorization }).body).toBe(echo.replace(signature, '<redacted>'));
  });

  it('blanks them in the Location of a redirect too, which messages quote (QA: a redirect holding the request)', () => {
    const redirect = { status: 302, headers: { location: `http://portal.example.test/?r=${encodeURIComponent(`token: ${TOKEN}`)}` }, body: '' };
    expect(withoutSentSecrets(redirect, sent).headers.location).toBe(`http://portal.example.test/?r=${encodeURIComponent('token: ')}<redacted>`);
    const elsewhere = { status: 307, headers: { location: 'https://sts.example.test/' }, body: '' };
    expect(withoutSentSecrets(elsewhere, sent)).toBe(elsewhere);
  });
});
