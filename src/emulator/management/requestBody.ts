import type { EmulatorRequest } from '../httpExchange.js';
import { validationError } from '../serviceErrors.js';
import { stringProblem, type StringRules } from '../stringRules.js';

/** A list of strings' constraints: its length, and each item's (1 to maxLength characters, matching pattern). */
interface ItemRules {
  readonly maxItems: number;
  readonly maxLength?: number;
  readonly pattern?: RegExp;
}

/** A JSON request body, read field by field; a missing or ill-typed field is the service's ValidationException naming it. */
export class RequestBody {
  constructor(
    private readonly fields: Readonly<Record<string, unknown>>,
    private readonly path = '',
  ) {}

  string(name: string, rules: StringRules & { optional: true }): string | undefined;
  string(name: string, rules?: StringRules): string;
  string(name: string, rules: StringRules & { optional?: boolean } = {}): string | undefined {
    const value = this.fields[name];
    if (value === undefined && rules.optional) return undefined;
    const field = this.#name(name);
    if (typeof value !== 'string') throw validationError(`${field} is required and must be a string`);
    const problem = stringProblem(value, rules);
    if (problem !== undefined) throw validationError(`${field} ${problem}`);
    return value;
  }

  strings(name: string, rules: ItemRules & { readonly optional: true }): string[] | undefined;
  strings(name: string, rules: ItemRules): string[];
  strings(name: string, rules: ItemRules & { readonly optional?: boolean }): string[] | undefined {
    const value = this.fields[name];
    if (value === undefined && rules.optional) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw validationError(`${this.#name(name)} is required and must be a list of strings`);
    }
    if (value.length > rules.maxItems) throw validationError(`${this.#name(name)} may hold at most ${rules.maxItems} items`);
    const { maxLength, pattern } = rules;
    if (maxLength !== undefined && value.some((item: string) => item.length < 1 || item.length > maxLength)) {
      throw validationError(`each item of ${this.#name(name)} must be 1 to ${maxLength} characters long`);
    }
    if (pattern && value.some((item: string) => !pattern.test(item))) throw validationError(`each item of ${this.#name(name)} must match ${pattern.source}`);
    return value as string[];
  }

  integer(name: string, rules: { readonly min: number; readonly max: number }): number | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || (value as number) < rules.min || (value as number) > rules.max) {
      throw validationError(`${this.#name(name)} must be an integer from ${rules.min} to ${rules.max}`);
    }
    return value as number;
  }

  boolean(name: string, rules: { readonly required: true }): boolean;
  boolean(name: string): boolean | undefined;
  boolean(name: string, { required = false } = {}): boolean | undefined {
    const value = this.fields[name];
    if ((value !== undefined || required) && typeof value !== 'boolean') throw validationError(`${this.#name(name)} ${required ? 'is required and ' : ''}must be a boolean`);
    return value as boolean | undefined;
  }

  /** A list of objects, each read as a body of its own (`tags[0].key`): none when left out, unless it is required. */
  objects(name: string, rules: { readonly maxItems: number; readonly required?: boolean }): RequestBody[] {
    const value = this.fields[name];
    if (value === undefined && !rules.required) return [];
    const field = this.#name(name);
    if (!Array.isArray(value)) throw validationError(`${field} ${rules.required ? 'is required and ' : ''}must be a list`);
    if (value.length > rules.maxItems) throw validationError(`${field} may hold at most ${rules.maxItems} items`);
    return value.map((item: unknown, index) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw validationError(`${field}[${index}] must be an object`);
      return new RequestBody(item as Record<string, unknown>, `${field}[${index}]`);
    });
  }

  object(name: string, rules: { readonly optional: true }): RequestBody | undefined;
  object(name: string): RequestBody;
  object(name: string, { optional = false } = {}): RequestBody | undefined {
    const value = this.fields[name];
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw validationError(`${this.#name(name)} is required and must be an object`);
    return new RequestBody(value as Record<string, unknown>, this.#name(name));
  }

  #name(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }
}

export function requestBody(request: EmulatorRequest): RequestBody {
  let json: unknown;
  try {
    json = JSON.parse(request.body || '{}');
  } catch {
    throw validationError('The request body is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw validationError('The request body is not a JSON object');
  return new RequestBody(json as Record<string, unknown>);
}
