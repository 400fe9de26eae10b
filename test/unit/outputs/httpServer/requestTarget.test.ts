import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestPath } from '../../../../src/outputs/httpServer/requestTarget.js';

const pathOf = (url: string) => requestPath({ url } as IncomingMessage);

describe('requestPath', () => {
  it('takes runs of slashes for one, drops a trailing slash and the query, and keeps the root (mutation sweep: the servers\' tests ask for none of these)', () => {
    expect(['//latest//api/token', '/role/name/', '/', '/?x=1', '//', 'http://127.0.0.1:9911//latest/meta-data/', 'http://127.0.0.1:9911'].map(pathOf)).toEqual([
      '/latest/api/token', '/role/name', '/', '/', '/', '/latest/meta-data', '/',
    ]);
  });
});
