import { describe, expect, it } from 'vitest';
import { mappedSessionTags } from '../../../src/emulator/attributeMappings.js';
import type { AttributeMapping } from '../../../src/emulator/records.js';

describe("mappedSessionTags: the default mapping's tags a profile's mapping keeps", () => {
  const tags = [
    { key: 'x509Subject/CN', value: 'leaf' },
    { key: 'x509Subject/OU', value: 'team' },
    { key: 'x509Issuer/CN', value: 'root' },
    { key: 'x509SAN/DNS', value: 'a.example' },
    { key: 'x509SAN/URI', value: 'spiffe://x/y' },
    { key: 'x509SAN/Name/CN', value: 'named' },
  ];
  const kept = (mappings: AttributeMapping[]) => mappedSessionTags(tags, mappings).map(({ key }) => key);

  it("keeps the SAN's directory name attributes only for Name/*, not its DNS name or URI", () => {
    expect(kept([{ certificateField: 'x509SAN', mappingRules: [{ specifier: 'Name/*' }] }])).toEqual(['x509SAN/Name/CN']);
  });

  it('keeps a subject attribute its specifier names, every one for *, and nothing of a field without rules', () => {
    expect(kept([{ certificateField: 'x509Subject', mappingRules: [{ specifier: 'OU' }] }, { certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }] }]))
      .toEqual(['x509Subject/OU', 'x509SAN/DNS']);
    expect(kept([{ certificateField: 'x509Subject', mappingRules: [{ specifier: '*' }] }])).toEqual(['x509Subject/CN', 'x509Subject/OU']);
  });
});
