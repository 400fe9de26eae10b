import { describe, expect, it } from 'vitest';
import { debugLazily, ignoreLog, silentLogger } from '../../../src/log/logger.js';

describe('debugLazily', () => {
  it('builds a debug line only for a logger that logs debug lines (mutation QA: built for nobody, the canonical request and response bodies at every run)', () => {
    let built = 0;
    const line = () => `canonical request ${++built}`;
    debugLazily(silentLogger, line);
    debugLazily({ ...silentLogger, info: () => {} }, line);
    expect(built).toBe(0);
    const lines: unknown[] = [];
    debugLazily({ debug: (message: unknown) => lines.push(message), info: ignoreLog, warn: ignoreLog, error: ignoreLog }, line);
    expect(lines).toEqual(['canonical request 1']);
  });
});
