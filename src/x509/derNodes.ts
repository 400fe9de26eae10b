import { DerError, children, type DerNode } from '../asn1/der.js';

/**
 * How many nodes a DER value holds, itself and all within its constructed nodes, read without recursion
 * (a value nested thousands deep does not overflow the stack); a DerError when one does not parse (a length
 * past its parent's end, say) or there are more than `max`, before more are read.
 */
export function countNodes(root: DerNode, max = Number.POSITIVE_INFINITY): number {
  let count = 0;
  const pending = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (++count > max) throw new DerError(`more than ${max} DER nodes`);
    if (node.tag & 0x20) for (const child of children(node)) pending.push(child);
  }
  return count;
}
