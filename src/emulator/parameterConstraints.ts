/** A request parameter's constraints, as an API model (STS's, Roles Anywhere's) states them. */
export interface ParameterRule {
  /** As the service names it in messages: `roleSessionName`. */
  readonly name: string;
  readonly value: string | undefined;
  readonly required?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
  /** A list's length (`value` is then left undefined), at most `maxItems`; its members are rules of their own. */
  readonly items?: number;
  readonly maxItems?: number;
  /** Not echoed in the message (an MFA code): what the emulator refuses, it logs. */
  readonly secret?: boolean;
}

/**
 * What AWS services answer (STS as ValidationError, Roles Anywhere as ValidationException) for broken
 * constraints, worded as they word it (`1 validation error detected: Value 'x' at 'roleSessionName' failed
 * to satisfy constraint: …`), or undefined when every parameter is valid.
 */
export function constraintViolations(rules: readonly ParameterRule[]): string | undefined {
  const broken = rules.flatMap((rule) => {
    const problem = problemOf(rule);
    if (!problem) return [];
    // AWS names no value for a list, nor for a parameter it does not echo.
    const value = rule.items !== undefined || rule.secret ? '' : rule.value === undefined ? ' null' : ` '${rule.value}'`;
    return [`Value${value} at '${rule.name}' failed to satisfy constraint: ${problem}`];
  });
  if (broken.length === 0) return undefined;
  const count = broken.length === 1 ? '1 validation error' : `${broken.length} validation errors`;
  return `${count} detected: ${broken.join('; ')}`;
}

function problemOf(rule: ParameterRule): string | undefined {
  const { value } = rule;
  if (rule.items !== undefined) {
    return rule.maxItems !== undefined && rule.items > rule.maxItems ? `Member must have length less than or equal to ${rule.maxItems}` : undefined;
  }
  if (value === undefined) return rule.required ? 'Member must not be null' : undefined;
  if (rule.min !== undefined || rule.max !== undefined) {
    const number = Number(value);
    if (!/^-?\d+$/.test(value)) return 'Member must be an integer';
    if (rule.min !== undefined && number < rule.min) return `Member must have value greater than or equal to ${rule.min}`;
    if (rule.max !== undefined && number > rule.max) return `Member must have value less than or equal to ${rule.max}`;
  }
  if (rule.minLength !== undefined && value.length < rule.minLength) return `Member must have length greater than or equal to ${rule.minLength}`;
  if (rule.maxLength !== undefined && value.length > rule.maxLength) return `Member must have length less than or equal to ${rule.maxLength}`;
  if (rule.pattern !== undefined && !new RegExp(`^(?:${rule.pattern})$`, 'u').test(value)) {
    return `Member must satisfy regular expression pattern: ${rule.pattern}`;
  }
  return undefined;
}
