import { describe, expect, it } from 'vitest';
import { rfc3339 } from '../../../../src/outputs/httpServer/rfc3339.js';

describe('rfc3339', () => {
  it('renders Go RFC3339Nano: no zero fractions, Z or the local offset', () => {
    expect(rfc3339(new Date('2022-07-27T04:36:55.000Z'), 0)).toBe('2022-07-27T04:36:55Z');
    expect(rfc3339(new Date('2022-07-27T04:36:55.120Z'), 0)).toBe('2022-07-27T04:36:55.12Z');
    expect(rfc3339(new Date('2022-07-27T04:36:55.000Z'), -120)).toBe('2022-07-27T06:36:55+02:00');
    expect(rfc3339(new Date('2022-07-27T04:36:55.5Z'), 330)).toBe('2022-07-26T23:06:55.5-05:30');
  });
});
