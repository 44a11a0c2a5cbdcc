package io.telesignal.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.signaling.protocol.ServerMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnsweredRequestsTest {
    @Test
    void answersAreFoundByIdAsTheyWereSent() {
        AnsweredRequests answered = new AnsweredRequests(4);
        ServerMessage empty = new ServerMessage.Result("r1", null);
        ServerMessage withBody = new ServerMessage.Result("r2", Map.of("state", "open"));
        ServerMessage error = new ServerMessage.Error("r3", "not_authorized", "no");
        answered.remember("r1", empty);
        answered.remember("r2", withBody);
        answered.remember("r3", error);

        assertThat(answered.find("r1")).isEqualTo(empty);
        assertThat(answered.find("r2")).isSameAs(withBody);
        assertThat(answered.find("r3")).isSameAs(error);
        assertThat(answered.find("r4")).isNull();
        assertThat(answered.find("R1")).isNull();
    }

    @Test
    void theOldestIsForgottenFirst() {
        AnsweredRequests answered = new AnsweredRequests(3);
        for (int i = 1; i <= 5; i++) {
            answered.remember("r" + i, new ServerMessage.Result("r" + i, null));
        }
        assertThat(answered.find("r1")).isNull();
        assertThat(answered.find("r2")).isNull();
        assertThat(answered.find("r3")).isEqualTo(new ServerMessage.Result("r3", null));
        assertThat(answered.find("r5")).isEqualTo(new ServerMessage.Result("r5", null));
    }

    @Test
    void idsWithTheSameHashAreToldApart() {
        // "Aa" and "BB" share String.hashCode
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        AnsweredRequests answered = new AnsweredRequests(2);
        answered.remember("Aa", new ServerMessage.Error("Aa", "busy", "x"));
        assertThat(answered.find("BB")).isNull();
        answered.remember("BB", new ServerMessage.Result("BB", null));
        assertThat(answered.find("Aa")).isEqualTo(new ServerMessage.Error("Aa", "busy", "x"));
        assertThat(answered.find("BB")).isEqualTo(new ServerMessage.Result("BB", null));
    }

    @Test
    void shortIdsArePackedExactlyAndLongOnesKeptAsStrings() {
        assertThat(AnsweredRequests.pack("r1")).isEqualTo(('r' << 8) | '1');
        assertThat(AnsweredRequests.pack("a")).isNotEqualTo(AnsweredRequests.pack("\u0001a"));
        assertThat(AnsweredRequests.pack("12345678")).isNotZero();
        assertThat(AnsweredRequests.pack("123456789")).isZero();
        assertThat(AnsweredRequests.pack("r\u0100")).isZero();
        assertThat(AnsweredRequests.pack("r\u0000")).isZero();
        assertThat(AnsweredRequests.pack("caf\u00e9")).isNotZero();

        AnsweredRequests answered = new AnsweredRequests(8);
        List<String> ids = List.of("r1", "1r", "r10", "12345678", "123456789", "request-0000000001", "\u00e9t\u00e9",
                "\u4e2d\u6587");
        for (String id : ids) {
            answered.remember(id, new ServerMessage.Error(id, "busy", id));
        }
        for (String id : ids) {
            assertThat(answered.find(new String(id.toCharArray()))).isEqualTo(new ServerMessage.Error(id, "busy", id));
        }
        assertThat(answered.find("r")).isNull();
        assertThat(answered.find("1234567")).isNull();
        assertThat(answered.find("request-0000000002")).isNull();
        assertThat(answered.find("\u4e2d")).isNull();
    }

    @Test
    void capacityIsBounded() {
        assertThatThrownBy(() -> new AnsweredRequests(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AnsweredRequests(AnsweredRequests.MAX_CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionSettings(java.time.Duration.ofSeconds(60), 10, 1000,
                SessionSettings.MAX_REMEMBERED_REQUESTS + 1, 5)).hasMessageContaining("at most 1024");
    }
}
