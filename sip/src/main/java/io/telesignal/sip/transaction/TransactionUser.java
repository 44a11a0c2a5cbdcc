package io.telesignal.sip.transaction;

import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.transport.Flow;

/** The layer above the transactions (RFC 3261 §17): the registrar, the proxy core. */
public interface TransactionUser {
    /** A new request, in its server transaction (retransmissions never come here). */
    void request(ServerTransaction transaction, SipRequest request);

    /** An ACK for a 2xx, which belongs to no transaction (RFC 3261 §17.1.1.3, RFC 6026). */
    void ackFor2xx(SipRequest ack, Flow flow);

    /** A CANCEL matched the INVITE server transaction it cancels; the CANCEL itself was answered 200 already. */
    default void cancelled(ServerTransaction invite) {}

    /**
     * A response that matched no client transaction: a retransmitted 2xx after the transaction ended (a proxy
     * forwards it, RFC 3261 §16.7), or a stray.
     */
    default void strayResponse(SipResponse response, Flow flow) {}

    /** A server transaction ended without the ACK its final non-2xx response asked for (Timer H). */
    default void noAck(ServerTransaction transaction) {}
}
