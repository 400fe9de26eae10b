/**
 * Why the library cannot run on this Node.js, if it cannot: below package.json's engines (^20.19.0 ||
 * >=22.12.0), it fails on a missing Node API with a message about that API (Node 20.11: `(0 , st.hash) is
 * not a function`, from crypto.hash). The bin checks the same range before it loads anything.
 */
export function nodeVersionProblem(): string | undefined {
  const version = process.versions.node;
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const supported = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22;
  return supported ? undefined : `roles-anywhere-helper needs Node.js 20.19 or later, or 22.12 or later; this is v${version}`;
}
