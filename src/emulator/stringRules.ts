/** A string's constraints, as the Roles Anywhere API model states them for a request's field. */
export interface StringRules {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: RegExp;
  /** An enum's values. */
  readonly oneOf?: readonly string[];
  /** A policy document, which the services parse: JSON, an object. */
  readonly jsonObject?: boolean;
}

/**
 * A trust anchor's, profile's or CRL's name, as CreateTrustAnchor, CreateProfile and ImportCrl take it; the
 * config file's and startEmulator's names are held to it too, so that a set-up is one the service could make.
 */
export const RESOURCE_NAME: StringRules = { pattern: /^[ a-zA-Z0-9-_]*$/, minLength: 1, maxLength: 255 };

/** The most characters of a certificate bundle CreateTrustAnchor takes (x509CertificateData), which the emulator's own set-up holds to too. */
export const MAX_TRUST_ANCHOR_CHARACTERS = 16000;

/** What is wrong with `value` by `rules`, as the management API words it (`must match ^[ a-zA-Z0-9-_]*$`), or undefined. */
export function stringProblem(value: string, rules: StringRules): string | undefined {
  if (rules.minLength !== undefined && value.length < rules.minLength) return `must be at least ${rules.minLength} characters`;
  if (rules.maxLength !== undefined && value.length > rules.maxLength) return `must be at most ${rules.maxLength} characters`;
  if (rules.pattern && !rules.pattern.test(value)) return `must match ${rules.pattern.source}`;
  if (rules.oneOf && !rules.oneOf.includes(value)) return `must be one of ${rules.oneOf.join(', ')}`;
  if (rules.jsonObject && !isJsonObject(value)) return 'must be a JSON object (a policy document)';
  return undefined;
}

export function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
