import { describe, expect, it } from 'vitest';
import { buildChain, type IssuerRules } from '../../../src/rolesAnywhereRules/chainBuilder.js';

/** A certificate reduced to what the builder sees through the rules: who issued it, and what makes it unfit. */
interface Certificate {
  readonly name: string;
  readonly issuer: string;
  /** Why it is no CA (expired, say), if it is none. */
  readonly unfit?: string;
  /** Its path length constraint. */
  readonly pathLength?: number;
}

const certificate = (name: string, issuer: string, more: Partial<Certificate> = {}): Certificate => ({ name, issuer, ...more });
const leaf = certificate('leaf', 'CA');

/** Rules that say what failed, and record each issuer judged with the intermediates below it. */
function rules(): IssuerRules<Certificate, string> & { judged: string[] } {
  const judged: string[] = [];
  return {
    judged,
    issued: (issuer, subject) => subject.issuer === issuer.name,
    unfitIssuer: (issuer, below, anchor) => {
      judged.push(`${anchor ? 'anchor' : 'intermediate'} ${issuer.name} with ${below} below`);
      if (issuer.unfit) return `${issuer.name}: ${issuer.unfit}`;
      if (issuer.pathLength !== undefined && below > issuer.pathLength) return `${issuer.name}: path length ${issuer.pathLength} exceeded`;
      return undefined;
    },
    noIssuer: (subject) => `no issuer of ${subject.name}`,
  };
}

const names = (path: readonly Certificate[]) => path.map((c) => c.name);

describe('buildChain: the chain from a leaf to the trust anchor bundle, as a path builder builds it', () => {
  it('reaches the trust anchor directly, or through intermediates', () => {
    expect(buildChain(leaf, [], [certificate('CA', 'CA')], rules())).toEqual({ path: [leaf, certificate('CA', 'CA')] });
    const intermediate = certificate('CA', 'Root');
    const built = buildChain(leaf, [intermediate], [certificate('Root', 'Root')], rules());
    expect(names(built.path)).toEqual(['leaf', 'CA', 'Root']);
    expect(built.failure).toBeUndefined();
  });

  it('tries the next copy of a CA when the first in the bundle is unfit (same name and key, expired): it leads to the renewed one', () => {
    const expired = certificate('CA', 'CA', { unfit: 'expired' });
    const renewed = certificate('CA', 'CA');
    const judging = rules();
    const built = buildChain(leaf, [], [expired, renewed], judging);
    expect(built.failure).toBeUndefined();
    expect(built.path[1]).toBe(renewed);
    expect(judging.judged).toEqual(['anchor CA with 0 below', 'anchor CA with 0 below']);
  });

  it('tries the next intermediate when the first leads nowhere further up, not only when it is unfit itself', () => {
    // Two intermediates of the leaf's issuer's name: the first was issued by a root that is not in the bundle.
    const stranded = certificate('CA', 'Old Root');
    const crossSigned = certificate('CA', 'Root');
    const built = buildChain(leaf, [stranded, crossSigned], [certificate('Root', 'Root')], rules());
    expect(built.failure).toBeUndefined();
    expect(built.path).toEqual([leaf, crossSigned, certificate('Root', 'Root')]);
  });

  it('takes the bundle before the intermediates: a certificate of the bundle ends the chain', () => {
    const judging = rules();
    const anchor = certificate('CA', 'CA');
    expect(buildChain(leaf, [certificate('CA', 'Root')], [certificate('Root', 'Root'), anchor], judging).path).toEqual([leaf, anchor]);
    expect(judging.judged).toEqual(['anchor CA with 0 below']);
  });

  it('when no path leads to the bundle, fails with the first issuer’s failure, the path as far as it went', () => {
    const built = buildChain(leaf, [], [certificate('CA', 'CA', { unfit: 'expired' }), certificate('CA', 'CA', { unfit: 'not a CA' })], rules());
    expect(built).toEqual({ path: [leaf, certificate('CA', 'CA', { unfit: 'expired' })], failure: 'CA: expired' });
    const deeper = buildChain(leaf, [certificate('CA', 'Missing'), certificate('CA', 'Root', { unfit: 'revoked' })], [certificate('Root', 'Root')], rules());
    expect(deeper).toEqual({ path: [leaf, certificate('CA', 'Missing')], failure: 'no issuer of CA' });
  });

  it('fails with noIssuer when nothing issued the leaf', () => {
    expect(buildChain(leaf, [certificate('Other', 'Root')], [certificate('Root', 'Root')], rules())).toEqual({ path: [leaf], failure: 'no issuer of leaf' });
  });

  it('uses each intermediate once: a loop among them ends, with or without a way out of it', () => {
    // A and B issued each other (cross-certified): a builder that reused them would not end.
    const a = certificate('A', 'B');
    const b = certificate('B', 'A');
    const leafOfA = certificate('leaf', 'A');
    const root = certificate('Root', 'Root');
    expect(buildChain(leafOfA, [a, b], [root], rules())).toEqual({ path: [leafOfA, a, b], failure: 'no issuer of B' });
    const out = certificate('B', 'Root');
    expect(buildChain(leafOfA, [a, b, out], [root], rules())).toEqual({ path: [leafOfA, a, out, root] });
  });

  it('judges each issuer with the intermediates below it, so that a path length constraint picks the shorter path', () => {
    // Root allows one intermediate below it: the long way (through Middle) fails at Root, the short way passes.
    const root = certificate('Root', 'Root', { pathLength: 1 });
    const viaMiddle = certificate('CA', 'Middle');
    const middle = certificate('Middle', 'Root');
    const direct = certificate('CA', 'Root');
    const judging = rules();
    const built = buildChain(leaf, [viaMiddle, middle, direct], [root], judging);
    expect(built).toEqual({ path: [leaf, direct, root] });
    expect(judging.judged).toEqual([
      'intermediate CA with 0 below',
      'intermediate Middle with 1 below',
      'anchor Root with 2 below',
      'intermediate CA with 0 below',
      'anchor Root with 1 below',
    ]);
    expect(buildChain(leaf, [viaMiddle, middle], [root], rules())).toEqual({ path: [leaf, viaMiddle, middle, root], failure: 'Root: path length 1 exceeded' });
  });
});
