/**
 * `CredHelper/1.8.0 (node v20.20.2; linux; x64) roles-anywhere-helper/0.1.0`: the reference's product token
 * and the version it is compatible with first (the service's telemetry keys on it), then this project.
 */
export function userAgent(version: string): string {
  return `CredHelper/1.8.0 (node ${process.version}; ${process.platform}; ${process.arch}) roles-anywhere-helper/${version}`;
}
