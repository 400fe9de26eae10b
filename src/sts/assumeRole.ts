import { Hash, SignatureV4 } from '../smithySigV4.js';
import type { Context } from '../context.js';
import { redactUrl } from '../log/redactUrl.js';
import { AssumeRoleError } from '../errors.js';
import { callOperation, type OperationOptions } from '../http/operationCall.js';
import type { ResolvedEndpoint } from '../session/endpoint.js';
import type { TemporaryCredentials } from '../temporaryCredentials.js';
import type { AssumeRoleConfig } from './assumeRoleConfig.js';
import { chainedSessionName } from './roleSessionName.js';
import { parseAssumeRoleResponse, readStsError } from './stsResponse.js';

export interface AssumeRoleOptions extends OperationOptions {
  readonly userAgent: string;
}

/**
 * STS AssumeRole with the credentials Roles Anywhere issued (role chaining), over the same HTTP client,
 * timeouts, retries, proxies and TLS settings as CreateSession, signed with SigV4 by @smithy/signature-v4.
 * A refusal is reported as STS wrote it, naming the role. Neither the credentials it signs with nor those
 * it gets reach a log line: --debug shows the request's role and the answer's status.
 */
export async function assumeRole(
  source: TemporaryCredentials,
  { config, endpoint }: { readonly config: AssumeRoleConfig; readonly endpoint: ResolvedEndpoint },
  options: AssumeRoleOptions,
  context: Context,
): Promise<TemporaryCredentials> {
  const { logger } = context;
  const roleSessionName = config.roleSessionName ?? chainedSessionName(source);
  const body = new URLSearchParams({
    Action: 'AssumeRole',
    Version: '2011-06-15',
    RoleArn: config.roleArn,
    RoleSessionName: roleSessionName,
    DurationSeconds: String(config.durationSeconds),
    ...(config.externalId ? { ExternalId: config.externalId } : {}),
    // The query protocol's lists, numbered from 1, as the SDKs send them.
    ...Object.fromEntries(config.tags.flatMap(({ key, value }, i) => [[`Tags.member.${i + 1}.Key`, key], [`Tags.member.${i + 1}.Value`, value]])),
    ...Object.fromEntries(config.transitiveTagKeys.map((key, i) => [`TransitiveTagKeys.member.${i + 1}`, key])),
  }).toString();
  const url = endpoint.url;
  const signer = new SignatureV4({
    service: 'sts',
    region: endpoint.signingRegion,
    credentials: { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, sessionToken: source.sessionToken },
    sha256: Hash.bind(null, 'sha256'),
    // STS needs no x-amz-content-sha256 header, and the SDKs send none.
    applyChecksum: false,
  });

  return callOperation(
    {
      service: 'STS',
      action: 'AssumeRole',
      url,
      request: async () => {
        const signed = await signer.sign(
          {
            method: 'POST',
            protocol: url.protocol,
            hostname: url.hostname,
            path: url.pathname,
            query: {},
            headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: url.host },
            body,
          },
          { signingDate: new Date() },
        );
        const tags = config.tags.length > 0 ? `, tags ${config.tags.map(({ key }) => key).join(', ')}` : '';
        logger.debug(`AssumeRole request: POST ${redactUrl(url)} (role ${config.roleArn}, session ${roleSessionName}, ${config.durationSeconds} s${tags})`);
        return { method: 'POST', url, headers: { ...(signed.headers as Record<string, string>), 'user-agent': options.userAgent }, body };
      },
      read: (response) => parseAssumeRoleResponse(response.body, response.headers),
      refusal: (response) => {
        const details = readStsError(response.headers, response.body);
        // IAM is global: a role another Region's STS would let us assume, this one would too, unless STS is
        // not activated here.
        return { ...details, text: `api error ${details.code}: ${details.message}`, tryNextLink: details.code === 'RegionDisabledException' };
      },
      onResponse: (response) =>
        logger.debug(`AssumeRole response: HTTP ${response.status}, request id ${response.headers['x-amzn-requestid'] ?? '-'}`),
      error: (message, tryNextLink, answer) => new AssumeRoleError(`unable to assume role ${config.roleArn}: ${message}`, { tryNextLink, answer }),
    },
    options,
    context,
  );
}
