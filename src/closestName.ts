/**
 * The name a mistyped one was probably meant to be: the nearest of `names` at most two edits away
 * (letter case aside), else, with `prefixes`, the nearest in length that begins with it or that it begins
 * with, for a name cut short or run on (`assumeRoleDuration`, `stsEndpointUrl`), or undefined. The
 * library's options, the emulator's and the serve roles file's settings share it, so that all answer a typo
 * the same way; the CLI's commands use its edit distance within cobra's rule (src/cli/main.ts), which adds
 * cobra's own prefix rule.
 */
export function closestName(typed: string, names: Iterable<string>, { prefixes = false } = {}): string | undefined {
  const given = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  let extended: { name: string; difference: number } | undefined;
  for (const name of names) {
    const known = name.toLowerCase();
    const distance = editDistance(given, known);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
    const difference = Math.abs(known.length - given.length);
    const shared = prefixes && Math.min(known.length, given.length) >= MIN_SHARED_START && (known.startsWith(given) || given.startsWith(known));
    if (shared && (!extended || difference < extended.difference)) {
      extended = { name, difference };
    }
  }
  return best?.name ?? extended?.name;
}

/** The least length of a beginning two names share for one to be taken for the other cut short or run on. */
const MIN_SHARED_START = 6;

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
