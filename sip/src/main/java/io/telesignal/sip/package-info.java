/**
 * The SIP front door (RFC 3261): {@link io.telesignal.sip.message} (the codec, with limits), {@link
 * io.telesignal.sip.transport} (UDP and TCP, flows, keepalives, flood limits), {@link io.telesignal.sip.transaction}
 * (RFC 3261 §17 with RFC 6026), {@link io.telesignal.sip.auth} (digest against device passwords), {@link
 * io.telesignal.sip.registrar} and {@link io.telesignal.sip.proxy}; {@link io.telesignal.sip.SipFrontDoor} ties them.
 *
 * <p>Owns: SIP syntax and semantics. Must not touch: the JSON protocol, the store (it reaches users, device passwords
 * and locations through the core's SPIs), Netty handlers of other front doors. Never logs headers or bodies (names,
 * numbers, SDP): ids and codes only.
 */
package io.telesignal.sip;
