/**
 * Whether this run's compiled code is worth keeping as the CLI's V8 code cache (src/bin/aws_signing_helper.cjs
 * writes it at exit, when there was no usable one): only after credentials were fetched here, the path every
 * run without the credential cache takes. A `credential-process --help`, or a run answered from the
 * credential cache by the CLI (a parallel first run that waited for another's entry), compiles part of that
 * path; V8 would accept a cache of that part on every later run, and compile the rest each time.
 */
let fetched = false;

/**
 * Says that this run fetched credentials (signed, and called CreateSession). Called by credential-process's
 * run, which is in the main bundle (a lazily loaded bundle would set its own copy of this flag).
 */
export function noteCredentialsFetched(): void {
  fetched = true;
}

/** Read by src/bin/aws_signing_helper.cjs through the main bundle's exports. */
export function codeCacheWorthKeeping(): boolean {
  return fetched;
}
