/** The environment variables that decide where CreateSession goes, and so which credentials come back. */
export const ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_ROLESANYWHERE',
  'AWS_ENDPOINT_URL',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
] as const;
