/**
 * Calls inside a consultation: the signaling one endpoint sends another (session descriptions, ICE candidates,
 * restarts, hangups), protocol-neutral so that a browser, a SIP phone and an XMPP client can be told the same
 * thing. Must not touch: wire formats.
 */
package io.telesignal.core.call;
