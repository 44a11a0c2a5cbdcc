package io.telesignal.core.call;

import io.telesignal.core.consultation.ConsultationId;
import java.util.List;

/** SPI: call records. Blocking. */
public interface CallRecordStore {
    /** Inserts or replaces the record with this id. */
    void save(CallRecord record);

    /**
     * Replaces the record only if it is still in {@code expected}'s state (another node may have moved it meanwhile);
     * answers whether it did.
     */
    boolean replace(CallRecord expected, CallRecord updated);

    /**
     * Ends every call not ended yet, at {@code at} with {@code reason}: a single node that starts again carries no
     * call from before. Answers how many.
     */
    int endOpen(java.time.Instant at, String reason);

    /** The call not ended yet between these two endpoints of a consultation, either way round, if there is one. */
    java.util.Optional<CallRecord> findOpen(ConsultationId consultation, io.telesignal.core.identity.EndpointId a,
            io.telesignal.core.identity.EndpointId b);

    /** The calls not ended yet that this endpoint is in. */
    List<CallRecord> openWith(io.telesignal.core.identity.EndpointId endpoint);

    /** A consultation's calls, oldest first. */
    List<CallRecord> forConsultation(ConsultationId consultation);
}
