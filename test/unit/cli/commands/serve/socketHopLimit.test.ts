import { describe, expect, it } from 'vitest';
import { socketHopLimit } from '../../../../../src/cli/commands/serve/socketHopLimit.js';
import { silentLogger } from '../../../../../src/log/logger.js';
import { loadSocketTtl } from '../../../../../src/outputs/httpServer/socketTtl.js';

describe('socketHopLimit (serve --hop-limit)', () => {
  it.runIf(loadSocketTtl())('warns of a socket whose hop limit cannot be set, and lets it be served (mutation QA: not said, it passed)', () => {
    const warnings: string[] = [];
    const onSocket = socketHopLimit(3, { ...silentLogger, warn: (line: string) => warnings.push(line) });
    expect(() => onSocket!(-1)).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^unable to set the hop limit of a socket: getsockname: /);
  });
});
