/** Region prefixes of the partitions other than `aws`, longest first where one begins another (us-iso-, us-isob-). */
const PARTITIONS: readonly (readonly [prefix: string, partition: string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
];

/**
 * The partition an ARN of a Region's resources names (`arn:aws-cn:rolesanywhere:cn-north-1:…`). Written here
 * rather than taken from the client's endpoint rules (src/session/partitions.ts): the emulator checks that
 * code, and a mistake there must not be its mistake too.
 */
export function partitionOfRegion(region: string): string {
  return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}
