import { DerError, Tag, children, sequence, type DerNode } from '../asn1/der.js';

/**
 * How many nodes a DER value holds, itself and all within its constructed nodes, read without recursion
 * (a value nested thousands deep does not overflow the stack); a DerError when one does not parse (a length
 * past its parent's end, say), `check` refuses one, or there are more than `max`, before more are read.
 */
export function countNodes(root: DerNode, max = Number.POSITIVE_INFINITY, check?: (node: DerNode) => void): number {
  let count = 0;
  const pending = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (++count > max) throw new DerError(`more than ${max} DER nodes`);
    check?.(node);
    if (node.tag & 0x20) for (const child of children(node)) pending.push(child);
  }
  return count;
}

/**
 * How many nodes a DER value holds, as countNodes counts them; a DerError where it, or one within it, is BER but not DER, as Go's and Java's certificate readers
 * refuse it (differential fuzzing QA: check took them): a length in more octets than it needs, an INTEGER with
 * a redundant leading octet (0001 for 1), a BOOLEAN other than 00 and FF, a BIT STRING whose unused bits are not zero.
 */
export function requireDer(root: DerNode, max?: number): number {
  return countNodes(root, max, (node) => {
    const { source, start, contentStart, end } = node;
    const length = end - contentStart;
    let octets = 2;
    if (length > 0x7f) for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets++;
    if (contentStart - start !== octets) throw new DerError('a DER length is not in its shortest form');
    const [first, second = 0] = source.subarray(contentStart, Math.min(end, contentStart + 2));
    if (node.tag === Tag.INTEGER && (length === 0 || (length > 1 && ((first === 0 && second < 0x80) || (first === 0xff && second > 0x7f))))) {
      throw new DerError('an INTEGER is not in its shortest form');
    }
    if (node.tag === Tag.BOOLEAN && (length !== 1 || (first !== 0 && first !== 0xff))) throw new DerError('a BOOLEAN is neither 00 nor FF');
    // Its first octet the count of unused bits in the last (at most 7), which are zero; without a last octet,
    // that count is the last octet, and the test of its low bits refuses any but 0.
    if (node.tag === Tag.BIT_STRING && (length === 0 || first! > 7 || source[end - 1]! & ((1 << first!) - 1))) throw new DerError('a BIT STRING is not DER');
  });
}

/** The elements of a SEQUENCE of at most `count` (OpenSSL refuses a certificate with more, where Go read past them: differential fuzzing QA). */
export function fieldsOf(node: DerNode | undefined, what: string, count: number): DerNode[] {
  const fields = sequence(node, what);
  if (fields.length > count) throw new DerError(`${what} has more fields than it can`);
  return fields;
}
