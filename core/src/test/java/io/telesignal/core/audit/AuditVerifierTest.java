package io.telesignal.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditVerifierTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private InMemoryAuditLog log;
    private final AuditVerifier verifier = new AuditVerifier();

    @BeforeEach
    void setUp() {
        log = new InMemoryAuditLog();
        for (int i = 1; i <= 5; i++) {
            log.append(AuditEvent.of("consultation.joined", "u" + i, Outcome.OK).consultation("c1").at(T0.plusSeconds(i)));
        }
    }

    @Test
    void intactChainVerifies() {
        AuditVerifier.Verification result = verifier.verify(log);
        assertThat(result.intact()).isTrue();
        assertThat(result.recordsChecked()).isEqualTo(5);
    }

    @Test
    void editedRecordIsReportedAsHashMismatch() {
        AuditRecord third = log.read(2, 1).get(0);
        AuditEvent forged = AuditEvent.of(third.event().type(), "u3", Outcome.DENIED).consultation("c1")
                .at(third.event().at());
        log.tamper(new AuditRecord(3, forged, third.prevHash(), third.hash()));

        assertThat(verifier.verify(log).firstBreak())
                .contains(new AuditVerifier.Break(3, AuditVerifier.Problem.HASH_MISMATCH));
    }

    @Test
    void rehashedEditBreaksTheNextLink() {
        AuditRecord third = log.read(2, 1).get(0);
        AuditEvent forged = AuditEvent.of(third.event().type(), "u99", Outcome.OK).at(third.event().at());
        log.tamper(AuditChain.link(3, forged, third.prevHash()));

        assertThat(verifier.verify(log).firstBreak())
                .contains(new AuditVerifier.Break(4, AuditVerifier.Problem.BROKEN_LINK));
    }

    @Test
    void deletedRecordIsReportedAsGap() {
        List<AuditRecord> all = log.read(0, 10);
        List<AuditRecord> withoutSecond = new ArrayList<>(all);
        withoutSecond.remove(1);
        AuditLog holed = new FixedLog(withoutSecond, log.head());

        assertThat(verifier.verify(holed).firstBreak())
                .contains(new AuditVerifier.Break(2, AuditVerifier.Problem.GAP));
    }

    @Test
    void deletedNewestRecordsAreReportedAsTruncation() {
        List<AuditRecord> all = log.read(0, 10);
        AuditLog truncated = new FixedLog(all.subList(0, 3), log.head());

        assertThat(verifier.verify(truncated).firstBreak())
                .contains(new AuditVerifier.Break(4, AuditVerifier.Problem.TRUNCATED));
    }

    @Test
    void rewrittenHeadIsReported() {
        AuditLog badHead = new FixedLog(log.read(0, 10), new AuditHead(5, AuditChain.GENESIS));

        assertThat(verifier.verify(badHead).firstBreak())
                .contains(new AuditVerifier.Break(5, AuditVerifier.Problem.HEAD_MISMATCH));
    }

    @Test
    void hashCoversEveryField() {
        AuditEvent base = AuditEvent.of("a.b", "actor", Outcome.OK).subject("s").consultation("c").endpoint("e")
                .remoteAddress("r").reason("x").at(T0);
        String hash = AuditChain.hash(1, base, AuditChain.GENESIS);
        List<AuditEvent> variants = List.of(
                AuditEvent.of("a.c", "actor", Outcome.OK).subject("s").consultation("c").endpoint("e").remoteAddress("r").reason("x").at(T0),
                AuditEvent.of("a.b", "actor2", Outcome.OK).subject("s").consultation("c").endpoint("e").remoteAddress("r").reason("x").at(T0),
                AuditEvent.of("a.b", "actor", Outcome.OK).subject("s2").consultation("c").endpoint("e").remoteAddress("r").reason("x").at(T0),
                AuditEvent.of("a.b", "actor", Outcome.OK).subject("s").consultation("c2").endpoint("e").remoteAddress("r").reason("x").at(T0),
                AuditEvent.of("a.b", "actor", Outcome.OK).subject("s").consultation("c").endpoint("e2").remoteAddress("r").reason("x").at(T0),
                AuditEvent.of("a.b", "actor", Outcome.OK).subject("s").consultation("c").endpoint("e").remoteAddress("r2").reason("x").at(T0),
                AuditEvent.of("a.b", "actor", Outcome.DENIED).subject("s").consultation("c").endpoint("e").remoteAddress("r").reason("x").at(T0),
                AuditEvent.of("a.b", "actor", Outcome.OK).subject("s").consultation("c").endpoint("e").remoteAddress("r").reason(null).at(T0),
                AuditEvent.of("a.b", "actor", Outcome.OK).subject("s").consultation("c").endpoint("e").remoteAddress("r").reason("x").at(T0.plusNanos(1000)),
                // moving a character between adjacent fields must change the hash too
                AuditEvent.of("a.b", "actor", Outcome.OK).subject("sc").consultation("").endpoint("e").remoteAddress("r").reason("x").at(T0));
        for (AuditEvent variant : variants) {
            assertThat(AuditChain.hash(1, variant, AuditChain.GENESIS)).as(variant.toString()).isNotEqualTo(hash);
        }
        assertThat(AuditChain.hash(2, base, AuditChain.GENESIS)).isNotEqualTo(hash);
    }

    private record FixedLog(List<AuditRecord> records, AuditHead head) implements AuditLog {
        @Override
        public AuditRecord append(AuditEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<AuditRecord> read(long afterSeq, int limit) {
            return records.stream().filter(r -> r.seq() > afterSeq).limit(limit).toList();
        }
    }
}
