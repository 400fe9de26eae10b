/** A certificate's validity from the epoch to 2100: what every credential cache entry keeps (see readEntry). */
export const VALID_VALIDITY = { notBefore: new Date(0), notAfter: new Date('2100-01-01T00:00:00Z') };

/** Credential cache options (cachedCredentials) whose certificate is valid all along. */
export const VALID_CERTIFICATE = { certificateValidity: async () => VALID_VALIDITY };
