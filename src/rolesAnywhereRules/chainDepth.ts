/**
 * "The X-Amz-X509-Chain header MUST NOT exceed the maximum depth of 5 certificates" (User Guide): the
 * intermediates sent, counted by `check` and the emulator alike.
 */
export const MAX_CHAIN_HEADER_CERTIFICATES = 5;
