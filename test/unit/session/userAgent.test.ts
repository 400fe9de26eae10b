import { describe, expect, it } from 'vitest';
import { userAgent } from '../../../src/session/userAgent.js';

describe('the User-Agent', () => {
  it("leads with the reference's product token and version, which the service's telemetry keys on, then this project's (QA: untested)", () => {
    expect(userAgent('0.1.0')).toBe(`CredHelper/1.8.0 (node ${process.version}; ${process.platform}; ${process.arch}) roles-anywhere-helper/0.1.0`);
  });
});
