package io.telesignal.core.call;

import io.telesignal.core.consultation.ConsultationId;
import java.util.List;

/** SPI: call records. Blocking. */
public interface CallRecordStore {
    /** Inserts or replaces the record with this id. */
    void save(CallRecord record);

    /** A consultation's calls, oldest first. */
    List<CallRecord> forConsultation(ConsultationId consultation);
}
