/**
 * roles-anywhere-helper as a library: IAM Roles Anywhere credentials for the AWS SDK for JavaScript v3.
 *
 *     import { fromRolesAnywhere } from 'roles-anywhere-helper';
 *     const s3 = new S3Client({ credentials: fromRolesAnywhere({ certificate, privateKey, trustAnchorArn, profileArn, roleArn }) });
 *
 * The local Roles Anywhere emulator, for tests, is `roles-anywhere-helper/emulator`.
 */
export {
  fromRolesAnywhere,
  type RolesAnywhereCredentialIdentity,
  type RolesAnywhereCredentialProvider,
} from './library/fromRolesAnywhere.js';
export type { CallerClientConfig, RolesAnywhereFallback, RolesAnywhereProviderOptions } from './library/providerOptions.js';
export type { SdkHandlerRequest, SdkRequestHandler } from './sdkRequestHandler.js';
export type { Logger } from './log/logger.js';
