import { redactPin, redactUrl } from '../log/redactUrl.js';
import { looksLikePemOrBase64 } from './looksLikeContent.js';

/** What a value of another kind holds that no message may quote, and how a message may show it. */
export interface SecretInValue {
  readonly shown: string;
  readonly kind: 'key' | 'pin' | 'url';
}

/**
 * A key or certificate (PEM, or base64 longer than the value may be), a pkcs11: URI with its PIN, or (where
 * `urlRefused`) a URL with user info, given where none belongs (flags or options swapped, `--role-arn "$(cat
 * key.pem)"`): the value's own checks (an ARN, a Region, a number) would quote it whole (QA). Undefined for a
 * value that is none of these. The command line, serve's roles file and the library each name the place.
 */
export function secretInValue(text: string, base64Length: number, urlRefused: boolean): SecretInValue | undefined {
  if (text.includes('-----BEGIN') || (text.length > base64Length && looksLikePemOrBase64(text))) return { shown: NOT_SHOWN, kind: 'key' };
  if (redactPin(text) !== text) return { shown: redactPin(text), kind: 'pin' };
  return urlRefused && /^[a-z][a-z0-9+.-]*:\/\//i.test(text) && redactUrl(text) !== text ? { shown: redactUrl(text), kind: 'url' } : undefined;
}

/** A key or certificate in place of it in messages (CI: pflag's `bad flag syntax` showed it whole). */
export const NOT_SHOWN = 'PEM or base64 content (not shown)';
