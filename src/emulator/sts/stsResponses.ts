import type { AssumedRoleIdentity } from '../assumedRole.js';
import type { Reply } from '../httpExchange.js';
import type { IssuedCredentials } from '../records.js';
import type { StsError } from './stsErrors.js';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** An element per entry, in order; entries whose value is undefined are left out, as STS leaves them out. */
type Elements = readonly (readonly [string, string | number | Elements | undefined])[];

function xml(elements: Elements, indent = '  '): string {
  return elements
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) =>
      typeof value === 'object'
        ? `${indent}<${name}>\n${xml(value, `${indent}  `)}\n${indent}</${name}>`
        : `${indent}<${name}>${escapeXml(String(value))}</${name}>`,
    )
    .join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function document(root: string, elements: Elements): string {
  return `<${root} xmlns="${NAMESPACE}">\n${xml(elements)}\n</${root}>\n`;
}

const ok = (body: string): Reply => ({ status: 200, contentType: 'text/xml', body });

export function getCallerIdentityReply(identity: AssumedRoleIdentity, requestId: string): Reply {
  return ok(
    document('GetCallerIdentityResponse', [
      ['GetCallerIdentityResult', [['Arn', identity.arn], ['UserId', identity.assumedRoleId], ['Account', identity.accountId]]],
      ['ResponseMetadata', [['RequestId', requestId]]],
    ]),
  );
}

export interface AssumeRoleResult {
  readonly credentials: IssuedCredentials;
  readonly identity: AssumedRoleIdentity;
  readonly sourceIdentity: string | undefined;
  /** Present when the request passed session policies or tags, as STS writes it then. */
  readonly packedPolicySize: number | undefined;
}

export function assumeRoleReply(result: AssumeRoleResult, requestId: string): Reply {
  const { credentials, identity } = result;
  return ok(
    document('AssumeRoleResponse', [
      [
        'AssumeRoleResult',
        [
          ['SourceIdentity', result.sourceIdentity],
          ['AssumedRoleUser', [['AssumedRoleId', identity.assumedRoleId], ['Arn', identity.arn]]],
          [
            'Credentials',
            [
              ['AccessKeyId', credentials.accessKeyId],
              ['SecretAccessKey', credentials.secretAccessKey],
              ['SessionToken', credentials.sessionToken],
              ['Expiration', credentials.expiration],
            ],
          ],
          ['PackedPolicySize', result.packedPolicySize],
        ],
      ],
      ['ResponseMetadata', [['RequestId', requestId]]],
    ]),
  );
}

/** STS's error document: `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>` (Receiver for a 5xx). */
export function stsErrorReply(error: StsError, requestId: string): Reply {
  return {
    status: error.status,
    contentType: 'text/xml',
    body: document('ErrorResponse', [
      ['Error', [['Type', error.status >= 500 ? 'Receiver' : 'Sender'], ['Code', error.code], ['Message', error.message]]],
      ['RequestId', requestId],
    ]),
  };
}
