import { UsageError } from '../errors.js';
import { redactUrl } from '../log/redactUrl.js';
import type { FallbackInputs } from '../session/fallbacks.js';

/** The parts of a --fallback value, by the option each gives. */
const PARTS: Readonly<Record<string, keyof FallbackInputs>> = {
  'trust-anchor-arn': 'trustAnchorArn',
  'profile-arn': 'profileArn',
  endpoint: 'endpoint',
  'sts-endpoint': 'stsEndpoint',
};
const FORMAT = 'trust-anchor-arn=ARN,profile-arn=ARN[,endpoint=URL][,sts-endpoint=URL]';

/**
 * A --fallback value: `key=value` parts separated by commas (no ARN or endpoint URL holds one), each known
 * part at most once, the trust anchor and profile required. The values are checked below the CLI. A
 * refusal names the flag as pflag does, or, given `item`, that item (a roles file's `"fallback" #2`).
 */
export function parseFallbackFlag(text: string, item?: string): FallbackInputs {
  const shown = JSON.stringify(redacted(text));
  const invalid = (cause: string) =>
    new UsageError(`${item ? `invalid ${item} ${shown}` : `invalid argument ${shown} for "--fallback" flag`}: ${cause} (expected ${FORMAT})`);
  const fallback: { -readonly [K in keyof FallbackInputs]: string } = {};
  for (const part of text.split(',')) {
    const equals = part.indexOf('=');
    if (equals < 0) throw invalid(`${JSON.stringify(shownPart(part))} is not key=value`);
    const key = part.slice(0, equals).trim();
    const field = Object.hasOwn(PARTS, key) ? PARTS[key] : undefined;
    // A key that is no name may be a URL cut at a `=` of its password: then the part is shown as a URL.
    if (!field) throw invalid(`unknown part ${JSON.stringify(/^[\w-]+$/.test(key) ? key : shownPart(part))}`);
    if (fallback[field] !== undefined) throw invalid(`${key} is given twice`);
    fallback[field] = part.slice(equals + 1).trim();
  }
  const missing = ['trust-anchor-arn', 'profile-arn'].filter((key) => !fallback[PARTS[key]!]);
  if (missing.length) throw invalid(`no ${missing.join(' or ')}`);
  return fallback;
}

/**
 * The command line's --fallback values for a serve roles file's role that calls no STS: without their
 * sts-endpoint parts, and without those that then name the trust anchor, profile and endpoint of the role
 * itself or of an earlier fallback (they differed by the STS endpoint, for the roles that chain, and the
 * route would refuse them as repeats). A value that does not parse is kept, for the route to refuse.
 */
export function fallbacksWithoutSts(texts: readonly string[], role: FallbackInputs): string[] {
  const named = ({ trustAnchorArn, profileArn, endpoint }: FallbackInputs) => JSON.stringify([trustAnchorArn, profileArn, endpoint || undefined]);
  const seen = new Set([named(role)]);
  return texts.map(withoutStsEndpoint).filter((text) => {
    let fallback: FallbackInputs;
    try {
      fallback = parseFallbackFlag(text);
    } catch {
      return true;
    }
    if (seen.has(named(fallback))) return false;
    seen.add(named(fallback));
    return true;
  });
}

/** A --fallback value without its sts-endpoint part. */
export function withoutStsEndpoint(text: string): string {
  return text
    .split(',')
    .filter((part) => part.slice(0, Math.max(part.indexOf('='), 0)).trim() !== 'sts-endpoint')
    .join(',');
}

/** The value for a message: each part shown by shownPart. */
function redacted(text: string): string {
  return text.split(',').map(shownPart).join(',');
}

/** A part for a message: a known part's value shown as a URL is (no user info; an ARN has none), any other part whole, as a URL. */
function shownPart(part: string): string {
  const equals = part.indexOf('=');
  return equals >= 0 && Object.hasOwn(PARTS, part.slice(0, equals).trim()) ? `${part.slice(0, equals + 1)}${redactUrl(part.slice(equals + 1))}` : redactUrl(part);
}
