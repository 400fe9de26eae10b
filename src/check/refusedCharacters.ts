import { charactersOutside } from '../rolesAnywhereRules/sessionTagRules.js';

/** The characters outside an alphabet (STS's, for a tag or a source identity), quoted and listed once each (`"(", ")"`), or undefined. */
export function refusedCharacters(text: string, allowed: RegExp): string | undefined {
  const refused = charactersOutside(text, allowed);
  return refused.length > 0 ? quoted(refused) : undefined;
}

/** Characters as a finding lists them: `"(", ")"`. */
export const quoted = (characters: readonly string[]): string => characters.map((char) => JSON.stringify(char)).join(', ');
