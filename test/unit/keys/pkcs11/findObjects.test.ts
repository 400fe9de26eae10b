import { describe, expect, it } from 'vitest';
import { findObjects } from '../../../../src/keys/pkcs11/findObjects.js';
import type { Pkcs11Api } from '../../../../src/keys/pkcs11/module.js';

// Mutation QA: stopping after the first batch of 100 passed every test (no token held that many objects).
describe('findObjects', () => {
  it('reads batches until one comes back short, and ends the search', () => {
    const handles = Array.from({ length: 205 }, (_, index) => Buffer.from([index & 0xff, index >> 8]));
    const calls: string[] = [];
    let next = 0;
    const api = {
      C_FindObjectsInit: () => calls.push('init'),
      C_FindObjects: (_session: Buffer, max: number) => {
        calls.push('find');
        const batch = handles.slice(next, next + max);
        next += batch.length;
        return batch;
      },
      C_FindObjectsFinal: () => calls.push('final'),
    } as unknown as Pkcs11Api;
    expect(findObjects(api, Buffer.alloc(8), [])).toEqual(handles);
    expect(calls).toEqual(['init', 'find', 'find', 'find', 'final']);
  });
});
