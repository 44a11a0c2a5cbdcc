/**
 * SIP transactions (RFC 3261 §17, corrected by RFC 6026): matching requests and responses to server and client
 * transactions, retransmissions and timers A to M on a {@link io.telesignal.sip.transaction.Scheduler} (the server's
 * event loop, or a virtual clock in tests). Owns nothing above the transaction: the registrar and the proxy are its
 * {@link io.telesignal.sip.transaction.TransactionUser}. Must not touch: transports' sockets (it sends through flows).
 */
package io.telesignal.sip.transaction;
