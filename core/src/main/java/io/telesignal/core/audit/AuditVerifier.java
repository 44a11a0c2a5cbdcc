package io.telesignal.core.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Walks the whole chain from the first record, page by page, and reports the first record that does not
 * hold: a hash that does not match its contents (edited), a previous-hash that does not match the record
 * before (removed or re-ordered), a gap in sequence numbers, or a head that points past the last record
 * (truncated).
 */
public final class AuditVerifier {
    private static final int PAGE = 1000;

    public enum Problem {
        /** The record's contents do not hash to its stored hash: it was edited. */
        HASH_MISMATCH,
        /** The record does not link to the one before it: a record was removed, inserted or replaced. */
        BROKEN_LINK,
        /** Sequence numbers skip: a record was deleted. */
        GAP,
        /** The head names a later record than the last one stored: the newest records were deleted. */
        TRUNCATED,
        /** The head does not match the last stored record: the head or the last record was rewritten. */
        HEAD_MISMATCH
    }

    public record Break(long seq, Problem problem) {}

    /**
     * @param headHash the hash of the last record that verified ({@link AuditChain#GENESIS} for none): with the count,
     *                 what an operator writes down (or ships elsewhere) to tell later that nothing before it changed
     */
    public record Verification(long recordsChecked, String headHash, Optional<Break> firstBreak) {
        public Verification {
            Objects.requireNonNull(headHash, "headHash");
            Objects.requireNonNull(firstBreak, "firstBreak");
        }

        public boolean intact() {
            return firstBreak.isEmpty();
        }
    }

    public Verification verify(AuditLog log) {
        long expectedSeq = 1;
        String prevHash = AuditChain.GENESIS;
        long checked = 0;
        while (true) {
            List<AuditRecord> page = log.read(expectedSeq - 1, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (AuditRecord record : page) {
                if (record.seq() != expectedSeq) {
                    return new Verification(checked, prevHash, Optional.of(new Break(expectedSeq, Problem.GAP)));
                }
                if (!record.prevHash().equals(prevHash)) {
                    return new Verification(checked, prevHash, Optional.of(new Break(record.seq(), Problem.BROKEN_LINK)));
                }
                if (!AuditChain.hash(record.seq(), record.event(), record.prevHash()).equals(record.hash())) {
                    return new Verification(checked, prevHash, Optional.of(new Break(record.seq(), Problem.HASH_MISMATCH)));
                }
                checked++;
                prevHash = record.hash();
                expectedSeq++;
            }
        }
        AuditHead head = log.head();
        long lastSeq = expectedSeq - 1;
        if (head.seq() > lastSeq) {
            return new Verification(checked, prevHash, Optional.of(new Break(expectedSeq, Problem.TRUNCATED)));
        }
        if (head.seq() != lastSeq || !head.hash().equals(prevHash)) {
            return new Verification(checked, prevHash, Optional.of(new Break(lastSeq, Problem.HEAD_MISMATCH)));
        }
        return new Verification(checked, prevHash, Optional.empty());
    }
}
