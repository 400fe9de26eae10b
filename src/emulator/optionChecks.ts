import { closestName } from '../closestName.js';
import { EmulatorSetupError } from './emulatorOptions.js';
import { stringProblem, type StringRules } from './stringRules.js';

/**
 * How a set-up is written: `startEmulator`'s options, or the emulator command's --config file, which
 * holds some of them, names one otherwise and is read by the same checks (checkEmulatorOptions.ts).
 */
export interface SetupForm {
  /** What the whole is called in a message: `the options`, `the file`. */
  readonly whole: string;
  /** The keys this form has, by the options' names, for each kind of object that has fewer than all. */
  readonly keys: { readonly [kind: string]: readonly string[] | undefined };
  /** This form's name of an option that it calls otherwise: `{ maxDurationSeconds: 'durationSeconds' }`. */
  readonly names: Readonly<Record<string, string>>;
  /** Names other forms give the options, to point a user who writes one to this form's. */
  readonly otherNames: Readonly<Record<string, string>>;
}

/**
 * Checks a value found at `where` (`profiles[0].roleArns[1]` in the form's names; '' for the whole) and
 * gives it back as the options hold it, or throws an EmulatorSetupError naming where it is.
 */
export type Check = (value: unknown, where: string, form: SetupForm) => unknown;

export interface Field {
  readonly check: Check;
  /** Whether leaving it out (or undefined) is an error; an optional field left out stays out. */
  readonly required?: boolean;
}

/** `where` must be `what` (`profiles[0].maxDurationSeconds must be an integer from 900 to 43200`). */
function invalid(where: string, form: SetupForm, what: string): EmulatorSetupError {
  return refused(where, form, `must be ${what}`);
}

/** `where` and why it is refused (`trustAnchors[0].name must match ^[ a-zA-Z0-9-_]*$`). */
function refused(where: string, form: SetupForm, reason: string): EmulatorSetupError {
  const subject = where || form.whole;
  return new EmulatorSetupError(subject, reason, `${subject} ${reason}`);
}

/**
 * An object of `kind` with the fields of `shape` (by the options' names), of which the form may have
 * fewer or call some otherwise. A key the form does not have is refused, with the key probably meant.
 * The result holds the options' names, and only the fields given.
 */
export function object(kind: string, shape: Readonly<Record<string, Field>>): Check {
  return (value, where, form) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(where, form, 'an object');
    const keys = form.keys[kind] ?? Object.keys(shape);
    const nameOf = (key: string) => form.names[key] ?? key;
    const given = value as Record<string, unknown>;
    const unknown = Object.keys(given).find((name) => !keys.some((key) => nameOf(key) === name));
    if (unknown !== undefined) {
      const at = where ? `${where}.${unknown}` : unknown;
      // What another form calls one of this form's keys (durationSeconds in a program, maxDurationSeconds in
      // the config file), else a typo of one.
      const renamed = keys.find((key) => key === unknown || form.otherNames[key] === unknown);
      const meant = renamed !== undefined ? nameOf(renamed) : closestName(unknown, keys.map(nameOf), { prefixes: true });
      const hint = meant !== undefined ? `did you mean ${meant}?` : `expected one of ${keys.map(nameOf).join(', ')}`;
      throw new EmulatorSetupError(at, `unknown key (${hint})`, `unknown key ${at} (${hint})`);
    }
    const checked: Record<string, unknown> = {};
    for (const key of keys) {
      const field = shape[key]!;
      const name = nameOf(key);
      const at = where ? `${where}.${name}` : name;
      if (given[name] === undefined && !field.required) continue;
      try {
        checked[key] = field.check(given[name], at, form);
      } catch (error) {
        // Left out, a required field is refused in its check's words: `is required and must be a list`.
        if (given[name] === undefined && error instanceof EmulatorSetupError && error.subject === at) throw refused(at, form, `is required and ${error.reason}`);
        throw error;
      }
    }
    return checked;
  };
}

export const optional = (check: Check): Field => ({ check });
export const required = (check: Check): Field => ({ check, required: true });

/**
 * A list of `item`s: at most `maxItems`, and with `unique` (a field of the items), no two of one value in it
 * (a tag's key): the later would take the earlier's place without a word. A repeated value is not quoted (a tag's may be secret).
 */
export function list(item: Check, { maxItems, unique }: { readonly maxItems?: number; readonly unique?: string } = {}): Check {
  return (value, where, form) => {
    if (!Array.isArray(value)) throw invalid(where, form, 'a list');
    if (maxItems !== undefined && value.length > maxItems) throw refused(where, form, `may hold at most ${maxItems} items`);
    const items = value.map((entry, index) => item(entry, `${where}[${index}]`, form));
    if (unique === undefined) return items;
    const values = items.map((entry) => (entry as Record<string, unknown>)[unique]);
    const repeated = values.findIndex((entry, index) => values.indexOf(entry) < index);
    if (repeated >= 0) throw refused(`${where}[${repeated}].${unique}`, form, `repeats ${where}[${values.indexOf(values[repeated])}]'s: give each ${unique} once`);
    return items;
  };
}

/** A string, matching `pattern` when there is one (`what` says what it must be then). */
export function string(pattern?: RegExp, what = 'a string'): Check {
  return (value, where, form) => {
    if (typeof value !== 'string' || (pattern && !pattern.test(value))) throw invalid(where, form, what);
    return value;
  };
}

/** A string the management API would take for a field of these `rules` (a trust anchor's name), refused in its words. */
export function apiString(rules: StringRules): Check {
  return (value, where, form) => {
    if (typeof value !== 'string') throw invalid(where, form, 'a string');
    const problem = stringProblem(value, rules);
    if (problem !== undefined) throw refused(where, form, problem);
    return value;
  };
}

export const boolean: Check = (value, where, form) => {
  if (typeof value !== 'boolean') throw invalid(where, form, 'true or false');
  return value;
};

/** An integer from `min` to `max` (no upper bound when left out). */
export function integer(min: number, max?: number): Check {
  const what =
    max !== undefined ? `an integer from ${min} to ${max}` : min === 1 ? 'a positive integer' : `an integer, ${min} or more`;
  return (value, where, form) => {
    if (!Number.isInteger(value) || (value as number) < min || (max !== undefined && (value as number) > max)) throw invalid(where, form, what);
    return value;
  };
}

/** An object whose `methods` are functions (a logger), given back as it is. */
export function withMethods(methods: readonly string[]): Check {
  return (value, where, form) => {
    const holder = value as Record<string, unknown> | null;
    if (typeof holder !== 'object' || holder === null || methods.some((method) => typeof holder[method] !== 'function')) {
      throw invalid(where, form, `an object with ${methods.slice(0, -1).join(', ')} and ${methods.at(-1)} methods`);
    }
    return value;
  };
}

/** A value checked by `test`, given back as it is (a function, a number with a bound of its own). */
export function such(test: (value: unknown) => boolean, what: string): Check {
  return (value, where, form) => {
    if (!test(value)) throw invalid(where, form, what);
    return value;
  };
}
