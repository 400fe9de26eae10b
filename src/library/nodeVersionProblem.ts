/**
 * Why the library cannot run on this Node.js, if it cannot: below package.json's engines (^20.19.0 ||
 * >=22.12.0), it fails on a missing Node API with a message about that API (Node 20.11: `(0 , st.hash) is
 * not a function`, from crypto.hash). The bin checks the same range before it loads anything.
 *
 * Bun and Deno run it too, and say which Node they implement: Bun before 1.2's last releases says 21.6 or
 * 22.6 (and lacks BlockList.addAddress: `internal error: … addAddress is not a function`), and is refused by
 * that; Deno before 2.7.3 says 22.14 or 24.2 but names P-256 keys `p256` (refused as `unsupported EC curve
 * p256`), and is refused by its own version (QA: runtimes). Either is named in the message, with the version it
 * needs: "this is v22.6.0" would send a Bun user to upgrade a Node they do not run.
 */
export function nodeVersionProblem(): string | undefined {
  const { node: version, bun, deno } = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const supported = ((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22) && (deno === undefined || !olderDeno(deno));
  if (supported) return undefined;
  const node = 'Node.js 20.19 or a later 20.x, or 22.12 or later';
  if (bun !== undefined) return `roles-anywhere-helper needs Bun 1.3 or later (or ${node}); this is Bun ${bun}`;
  if (deno !== undefined) return `roles-anywhere-helper needs Deno 2.7.3 or later (or ${node}); this is Deno ${deno}`;
  return `roles-anywhere-helper needs ${node}; this is v${version}`;
}

/** Whether a Deno version is before 2.7.3, the first the helper works on whole. */
function olderDeno(version: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  return major < 2 || (major === 2 && (minor < 7 || (minor === 7 && patch < 3)));
}
