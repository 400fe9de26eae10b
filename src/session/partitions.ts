/**
 * AWS partitions as the SDKs' endpoint rules define them (@aws-sdk/core's partitions), for
 * `rolesanywhere.<region>.<dnsSuffix>`. Every one has FIPS and dual-stack endpoints.
 */
export interface Partition {
  readonly id: string;
  readonly regionPattern: RegExp;
  /** Region names listed in the partition even when the pattern would put them elsewhere. */
  readonly regions: readonly string[];
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
}

const partitions: readonly Partition[] = [
  {
    id: 'aws',
    regionPattern: /^(us|eu|ap|sa|ca|me|af|il)-[a-z0-9]+-\d+$/,
    regions: ['aws-global'],
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
  },
  {
    id: 'aws-cn',
    regionPattern: /^cn-[a-z0-9]+-\d+$/,
    regions: ['cn-north-1', 'cn-northwest-1', 'aws-cn-global'],
    dnsSuffix: 'amazonaws.com.cn',
    dualStackDnsSuffix: 'api.amazonwebservices.com.cn',
  },
  {
    id: 'aws-eusc',
    regionPattern: /^eusc-de-[a-z0-9]+-\d+$/,
    regions: ['eusc-de-east-1'],
    dnsSuffix: 'amazonaws.eu',
    dualStackDnsSuffix: 'api.amazonwebservices.eu',
  },
  {
    id: 'aws-us-gov',
    regionPattern: /^us-gov-[a-z0-9]+-\d+$/,
    regions: ['us-gov-east-1', 'us-gov-west-1', 'aws-us-gov-global'],
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
  },
  {
    id: 'aws-iso',
    regionPattern: /^us-iso-[a-z0-9]+-\d+$/,
    regions: ['us-iso-east-1', 'us-iso-west-1', 'aws-iso-global'],
    dnsSuffix: 'c2s.ic.gov',
    dualStackDnsSuffix: 'api.aws.ic.gov',
  },
  {
    id: 'aws-iso-b',
    regionPattern: /^us-isob-[a-z0-9]+-\d+$/,
    regions: ['us-isob-east-1', 'us-isob-west-1', 'aws-iso-b-global'],
    dnsSuffix: 'sc2s.sgov.gov',
    dualStackDnsSuffix: 'api.aws.scloud',
  },
  {
    id: 'aws-iso-e',
    regionPattern: /^eu-isoe-[a-z0-9]+-\d+$/,
    regions: ['eu-isoe-west-1', 'aws-iso-e-global'],
    dnsSuffix: 'cloud.adc-e.uk',
    dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk',
  },
  {
    id: 'aws-iso-f',
    regionPattern: /^us-isof-[a-z0-9]+-\d+$/,
    regions: ['us-isof-south-1', 'us-isof-east-1', 'aws-iso-f-global'],
    dnsSuffix: 'csp.hci.ic.gov',
    dualStackDnsSuffix: 'api.aws.hci.ic.gov',
  },
];

/**
 * A region, as the host name label it becomes in `rolesanywhere.<region>.<suffix>`: 1 to 63 lower-case
 * letters, digits and hyphens, not at either end. Nothing else may reach an endpoint URL: `x@host:port/`
 * would send the signed request to that host.
 */
const REGION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isRegion(text: string): boolean {
  return REGION.test(text);
}

/** Why `text` is not a region, for messages: `source` names where it came from (an option, a variable; `region` where it is part of an ARN). */
export function invalidRegion(text: string, source = 'region'): string {
  return `invalid ${source} ${JSON.stringify(text)}: a region is 1 to 63 lower-case letters, digits and inner hyphens (e.g. us-east-1)`;
}

/** Listed names first, then patterns, then `aws`, as the SDKs resolve a region by their partitions.json: a listed name decides even where another partition's pattern would match it. */
export function regionPartition(region: string): Partition {
  return (
    partitions.find((p) => p.regions.includes(region)) ??
    partitions.find((p) => p.regionPattern.test(region)) ??
    partitions[0]!
  );
}
