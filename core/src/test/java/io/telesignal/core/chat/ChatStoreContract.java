package io.telesignal.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link ChatStore} must do. */
public abstract class ChatStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");
    private static final ConsultationId C1 = new ConsultationId("c1");

    protected abstract ChatStore store();

    private static ChatMessage message(int n, ConsultationId consultation) {
        return new ChatMessage("m" + n, consultation, new UserId("u1"), "Dr Ünïcode", "hello " + n + " ✓",
                T0.plusSeconds(n));
    }

    @Test
    void recentGivesTheNewestOldestFirstPerConsultation() {
        for (int i = 1; i <= 5; i++) {
            store().append(message(i, C1));
        }
        store().append(message(6, new ConsultationId("c2")));

        assertThat(store().recent(C1, 3)).extracting(ChatMessage::id).containsExactly("m3", "m4", "m5");
        assertThat(store().recent(C1, 10).get(0)).isEqualTo(message(1, C1));
        assertThat(store().recent(new ConsultationId("c9"), 10)).isEmpty();
    }

    @Test
    void purgeRemovesOnlyOlderMessages() {
        for (int i = 1; i <= 4; i++) {
            store().append(message(i, C1));
        }
        assertThat(store().purgeBefore(T0.plusSeconds(3))).isEqualTo(2);
        assertThat(store().recent(C1, 10)).extracting(ChatMessage::id).containsExactly("m3", "m4");
    }

    @Test
    void aClientIdIsStoredOncePerSenderAndConsultation() {
        ChatMessage first = new ChatMessage("m1", C1, new UserId("u1"), "Pat", "hello", T0, java.util.Optional.of("k1"));
        assertThat(store().append(first)).isEqualTo(first);
        ChatMessage again = new ChatMessage("m2", C1, new UserId("u1"), "Pat", "hello", T0.plusSeconds(5),
                java.util.Optional.of("k1"));
        assertThat(store().append(again)).isEqualTo(first);
        // the same client id from someone else, or in another consultation, is another message
        ChatMessage other = new ChatMessage("m3", C1, new UserId("u2"), "Doc", "hi", T0.plusSeconds(6),
                java.util.Optional.of("k1"));
        assertThat(store().append(other)).isEqualTo(other);
        ChatMessage elsewhere = new ChatMessage("m4", new ConsultationId("c2"), new UserId("u1"), "Pat", "hello",
                T0.plusSeconds(7), java.util.Optional.of("k1"));
        assertThat(store().append(elsewhere)).isEqualTo(elsewhere);

        assertThat(store().recent(C1, 10)).containsExactly(first, other);
    }

    @Test
    void aClientIdSentSeveralTimesAtOnceIsStoredOnceAndEveryAttemptGetsThatMessage() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<ChatMessage>> attempts = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ChatMessage attempt = new ChatMessage("m-" + i, C1, new UserId("u1"), "Pat", "hello", T0.plusSeconds(i),
                        java.util.Optional.of("k-race"));
                attempts.add(pool.submit(() -> store().append(attempt)));
            }
            java.util.Set<String> answered = new java.util.HashSet<>();
            for (java.util.concurrent.Future<ChatMessage> attempt : attempts) {
                answered.add(attempt.get(30, java.util.concurrent.TimeUnit.SECONDS).id());
            }
            assertThat(answered).hasSize(1);
            assertThat(store().recent(C1, 10)).extracting(ChatMessage::id).containsExactlyElementsOf(answered);
        } finally {
            pool.shutdownNow();
        }
    }
}
