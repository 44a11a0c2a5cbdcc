/**
 * Rate limits every front door shares: the token bucket behind the WebSocket message limits, the XMPP stanza limits and
 * the SIP per-address limits. Must not touch: anything but the JDK; the clock is the caller's (nanoseconds passed in).
 */
package io.telesignal.core.limit;
