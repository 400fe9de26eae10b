/**
 * How one side judges the links of a chain: `check` says why in findings, the emulator refuses with the
 * service's errors. `F` is that side's failure.
 */
export interface IssuerRules<C, F> {
  /** Whether `issuer` issued `subject`: names that chain and a signature that verifies (or, for check, that nothing here can check). */
  issued(issuer: C, subject: C): boolean;
  /**
   * Why `issuer` cannot be the CA of the chain with `below` intermediates under it, a certificate of the trust
   * anchor bundle (`anchor`) or an intermediate; undefined when it can.
   */
  unfitIssuer(issuer: C, below: number, anchor: boolean): F | undefined;
  /** The failure when nothing in the bundle or among the intermediates not used yet issued `subject`. */
  noIssuer(subject: C): F;
}

export interface BuiltChain<C, F> {
  /** From the end entity up: to a certificate of the trust anchor bundle, or as far as `failure`. */
  readonly path: readonly C[];
  /** Why no path reached the trust anchor bundle: the first issuer's failure. */
  readonly failure?: F;
}

/**
 * Builds the chain from `leaf` to a certificate of the trust anchor bundle (`anchors`) as a path builder
 * does (OpenSSL's, the service's): every issuer of a certificate is tried, the bundle's first, then the
 * intermediates not used yet (each is used once: a loop in them ends), until one leads to the bundle. A
 * bundle that holds an unfit copy of its CA (expired, say) before the renewed one (same name, same key) still
 * leads to the renewed one, as `openssl verify` accepts it. When none leads there, the first issuer's failure
 * is the chain's.
 */
export function buildChain<C, F>(leaf: C, intermediates: readonly C[], anchors: readonly C[], rules: IssuerRules<C, F>): BuiltChain<C, F> {
  /** The chain on from the last certificate of `path`, the certificates so far. */
  const chainFrom = (path: readonly C[]): BuiltChain<C, F> => {
    const subject = path[path.length - 1]!;
    let first: BuiltChain<C, F> | undefined;
    for (const [index, issuer] of [...anchors, ...intermediates.filter((certificate) => !path.includes(certificate))].entries()) {
      if (!rules.issued(issuer, subject)) continue;
      const anchor = index < anchors.length;
      const attempt = [...path, issuer];
      const failure = rules.unfitIssuer(issuer, path.length - 1, anchor);
      const result = failure !== undefined ? { path: attempt, failure } : anchor ? { path: attempt } : chainFrom(attempt);
      if (result.failure === undefined) return result;
      first ??= result;
    }
    return first ?? { path, failure: rules.noIssuer(subject) };
  };
  return chainFrom([leaf]);
}
