/**
 * SIP digest authentication (RFC 7616, RFC 8760) against device passwords: challenges, self-validating nonces under a
 * secret every node shares, nonce counts through the core's {@link io.telesignal.core.device.NonceCounts} SPI, the
 * shared sign-in throttle. Must not touch: account passwords (never used here) or the store (reached through the
 * core's services).
 */
package io.telesignal.sip.auth;
