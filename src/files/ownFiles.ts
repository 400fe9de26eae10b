/**
 * The files and folders the helper makes and trusts: the cache folder, folders and new files made with
 * their modes, the lock's aside path, whether a file or folder may be trusted. The credential cache, TPM
 * keys, and the cache, serve and update commands use them; their bundles require one copy,
 * dist/files.cjs (scripts/build.mjs), rather than each hold its own. The CLI's main bundle and the
 * cache-hit ones hold their own.
 */
export * from './cacheFolder.js';
export * from './lockAside.js';
export * from './makeFolders.js';
export * from './missingPath.js';
export * from './newFile.js';
export * from './privateTemporaryParent.js';
export * from './trustedFile.js';
