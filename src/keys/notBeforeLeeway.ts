/**
 * How far ahead of this machine's clock a certificate's start may be for it to be used: a CA's clock skew
 * (less than the 15 minutes the service's SigV4 check allows a request's date), so that a certificate a CA
 * whose clock runs ahead has just issued is sent (and a cached entry had with it handed out), the service
 * judging it by its own clock.
 */
export const NOT_BEFORE_LEEWAY_MS = 5 * 60_000;
