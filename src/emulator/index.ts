/**
 * The emulator for your tests (`roles-anywhere-helper/emulator`): a local IAM Roles Anywhere and STS that
 * check requests as the services do, and a throw-away PKI to make the certificates they trust.
 *
 * ```ts
 * import { startEmulator, CertificateAuthority, pkcs8Pem } from 'roles-anywhere-helper/emulator';
 *
 * const ca = await CertificateAuthority.create({ subject: 'CN=Test Root' });
 * const workload = await ca.issue({ subject: 'CN=workload' });   // workload.pem, pkcs8Pem(workload.key!)
 * const emulator = await startEmulator({
 *   trustAnchors: [{ name: 'root', certificates: ca.certificate.pem }],
 *   profiles: [{ name: 'workload', roleArns: ['arn:aws:iam::123456789012:role/workload'] }],
 *   assumableRoles: [{ roleArn: 'arn:aws:iam::210987654321:role/deploy' }],
 * });
 * // CreateSession, STS and the management API at emulator.url; the ARNs in emulator.trustAnchors and
 * // emulator.profiles; what it issued and refused in emulator.issued, .assumedRoles, .stsCalls, .rejections
 * // (emptied by emulator.clearRecords()).
 * await emulator.close();
 * ```
 *
 * @packageDocumentation
 */
export {
  startEmulator,
  EmulatorSetupError,
  type EmulatorOptions,
  type EmulatorTrustAnchor,
  type EmulatorProfile,
  type EmulatorResource,
  type EmulatorProfileView,
  type RunningEmulator,
} from './emulator.js';
export type { AssumableRole, AssumedRoleSession, AttributeMapping, IssuedCredentials, IssuedSession, NotificationSetting, Rejection, StsCall, Tag } from './records.js';
export {
  CertificateAuthority,
  KeyUsage,
  type CertificateOptions,
  type IssuedCertificate,
  type SignatureHash,
} from './pki/certificateAuthority.js';
export { generateKey, pkcs8Pem, type GeneratedKey, type KeyAlgorithm, type MlDsaPrivateKeyForm } from './pki/generateKey.js';
