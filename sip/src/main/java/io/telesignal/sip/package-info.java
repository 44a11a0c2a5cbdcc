/**
 * The SIP front door (RFC 3261). This first part is the codec: {@link io.telesignal.sip.message} parses and writes
 * messages on byte arrays with configurable limits, refusing bad input with the response that says why. Transports,
 * transactions, the registrar and the proxy follow.
 *
 * <p>Owns: SIP syntax and semantics. Must not touch: the JSON protocol, the store (it reaches users, device passwords
 * and locations through the core's SPIs), Netty handlers of other front doors. Never logs headers or bodies (names,
 * numbers, SDP): ids and codes only.
 */
package io.telesignal.sip;
