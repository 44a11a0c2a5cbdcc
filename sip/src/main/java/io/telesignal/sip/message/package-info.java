/**
 * SIP messages (RFC 3261 §7, §19, §20, §25): {@link io.telesignal.sip.message.SipParser} and
 * {@link io.telesignal.sip.message.SipMessage#encode}, typed views of the headers that routing needs (Via, From, To,
 * Contact, CSeq, Max-Forwards, SIP URIs). Plain Java, no I/O.
 */
package io.telesignal.sip.message;
